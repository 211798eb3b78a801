package dev.quorum.store.jdbc;

/** Mints the password of one new connection: on DSQL, a short-lived IAM auth token. */
@FunctionalInterface
public interface AuthTokens {
  String token(String hostname, String username);
}
