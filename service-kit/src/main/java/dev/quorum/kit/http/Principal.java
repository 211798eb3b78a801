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

  /**
   * The one scope check of every route: returns this principal when it holds {@code scope}.
   *
   * @throws ProblemException 403 naming the client and the scope it lacks
   */
  public Principal require(String scope) {
    if (!has(scope)) throw ProblemException.forbidden("client " + clientId + " lacks the scope " + scope);
    return this;
  }
}
