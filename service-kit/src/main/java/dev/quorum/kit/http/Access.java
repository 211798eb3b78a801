package dev.quorum.kit.http;

import io.javalin.security.RouteRole;
import java.util.Objects;

/**
 * What a route requires of its caller, declared where the route is registered:
 * {@code app.post("/v1/events", handler, Access.scope("publish"))}, or {@link #PUBLIC} for a route
 * that authenticates by other means (Slack's signed requests). A route that declares nothing needs
 * a valid bearer token and no particular scope.
 */
public sealed interface Access extends RouteRole permits Access.Public, Access.Scope {
  /** No bearer token needed: probes, the scrape, and endpoints that check their own signature. */
  Access PUBLIC = Public.INSTANCE;

  static Access scope(String name) {
    return new Scope(name);
  }

  /** The marker of a public route. */
  enum Public implements Access { INSTANCE }

  /** A scope the caller's principal must hold (403 otherwise). */
  record Scope(String name) implements Access {
    public Scope {
      Objects.requireNonNull(name, "name");
      if (name.isBlank()) throw new IllegalArgumentException("a scope has a name");
    }
  }
}
