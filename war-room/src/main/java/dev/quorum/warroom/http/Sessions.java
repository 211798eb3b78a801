package dev.quorum.warroom.http;

import dev.quorum.kit.http.Principal;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The signed-in responders, in memory: a random 256-bit session id (the cookie) maps to the responder's
 * token, which never leaves the server, and a per-session CSRF token that every state-changing request
 * carries in a header. Bounded: a session unused for {@code idle} is forgotten, and beyond {@code max}
 * sessions the least recently used one ends.
 */
public final class Sessions {
  private static final SecureRandom RANDOM = new SecureRandom();

  /** One signed-in responder. */
  public static final class Session {
    private final String id;
    private final String csrf;
    private final String token;
    private final Principal principal;
    private volatile Instant lastSeen;

    private Session(String id, String csrf, String token, Principal principal, Instant now) {
      this.id = id;
      this.csrf = csrf;
      this.token = token;
      this.principal = principal;
      this.lastSeen = now;
    }

    public String id() {
      return id;
    }

    /** The CSRF token the page sends back as a header; the page learns it from {@code GET /api/session}. */
    public String csrf() {
      return csrf;
    }

    /** The responder's own bearer token, for the query API and the gateway. Never sent to the browser. */
    String token() {
      return token;
    }

    public Principal principal() {
      return principal;
    }

    /** Whether {@code presented} is this session's CSRF token (constant time). */
    public boolean csrfMatches(String presented) {
      return presented != null
          && MessageDigest.isEqual(csrf.getBytes(StandardCharsets.UTF_8), presented.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String toString() {
      return "Session[" + principal.clientId() + "]"; // never the id, the CSRF token or the bearer token
    }
  }

  private final Clock clock;
  private final Duration idle;
  private final int max;
  /** Access order: the eldest entry is the least recently used session. */
  private final LinkedHashMap<String, Session> byId = new LinkedHashMap<>(16, 0.75f, true);

  public Sessions(Clock clock, Duration idle, int max) {
    if (max < 1) throw new IllegalArgumentException("max must be at least 1");
    this.clock = clock;
    this.idle = idle;
    this.max = max;
  }

  /** A new session for a responder whose token was accepted. */
  public synchronized Session open(String token, Principal principal) {
    Instant now = clock.instant();
    expire(now);
    while (byId.size() >= max) {
      Iterator<Map.Entry<String, Session>> eldest = byId.entrySet().iterator();
      eldest.next();
      eldest.remove();
    }
    Session session = new Session(randomToken(), randomToken(), token, principal, now);
    byId.put(session.id(), session);
    return session;
  }

  /** The live session of a cookie value, touched; empty when unknown or idle too long. */
  public synchronized Optional<Session> find(String id) {
    if (id == null || id.isEmpty()) return Optional.empty();
    Session session = byId.get(id);
    if (session == null) return Optional.empty();
    Instant now = clock.instant();
    if (isIdle(session, now)) {
      byId.remove(id);
      return Optional.empty();
    }
    session.lastSeen = now;
    return Optional.of(session);
  }

  public synchronized void close(String id) {
    byId.remove(id);
  }

  public synchronized int size() {
    return byId.size();
  }

  private void expire(Instant now) {
    byId.values().removeIf(s -> isIdle(s, now));
  }

  private boolean isIdle(Session session, Instant now) {
    return !session.lastSeen.plus(idle).isAfter(now);
  }

  /** 256 random bits, URL-safe base64 without padding (43 characters). */
  static String randomToken() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
