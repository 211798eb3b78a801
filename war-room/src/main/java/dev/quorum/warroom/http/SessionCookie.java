package dev.quorum.warroom.http;

import io.javalin.http.Context;

/**
 * The session cookie: HttpOnly (no script reads it), SameSite=Strict (no other site's page sends it),
 * Path=/, no expiry (it ends with the browser), and Secure when the war room is served over TLS.
 */
public final class SessionCookie {
  public static final String NAME = "quorum_session";

  private final boolean secure;

  /** @param secure always mark it Secure (TLS terminated in front of the war room) */
  public SessionCookie(boolean secure) {
    this.secure = secure;
  }

  /** The {@code Set-Cookie} value that starts a session. */
  public String set(String sessionId, boolean overTls) {
    return NAME + "=" + sessionId + attributes(overTls);
  }

  /** The {@code Set-Cookie} value that ends one. */
  public String clear(boolean overTls) {
    return NAME + "=; Max-Age=0" + attributes(overTls);
  }

  private String attributes(boolean overTls) {
    return "; Path=/; HttpOnly; SameSite=Strict" + (secure || overTls ? "; Secure" : "");
  }

  /** The session id the request's cookie carries, or null. */
  public static String read(Context ctx) {
    return ctx.cookie(NAME);
  }

  /** Whether the request came over TLS, directly or through a proxy that says so. */
  public static boolean overTls(Context ctx) {
    return "https".equalsIgnoreCase(ctx.scheme()) || "https".equalsIgnoreCase(ctx.header("X-Forwarded-Proto"));
  }
}
