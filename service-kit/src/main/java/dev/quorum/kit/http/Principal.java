package dev.quorum.kit.http;

import java.util.Objects;
import java.util.Set;

/**
 * An authenticated client: its id, the CloudEvents {@code source} it publishes as, its default
 * actor, whether it may name another actor, and its scopes (e.g. {@code publish}, {@code read}).
 */
public record Principal(String clientId, String source, String actor, boolean mayActOnBehalf, Set<String> scopes) {
  public static final String ACT_ON_BEHALF = "act-on-behalf";

  public Principal {
    Objects.requireNonNull(clientId, "clientId");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(actor, "actor");
    scopes = Set.copyOf(scopes);
  }

  public boolean has(String scope) {
    return scopes.contains(scope);
  }
}
