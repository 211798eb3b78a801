package dev.quorum.kit.http;

import dev.quorum.kit.config.ConfigException;
import dev.quorum.kit.config.ConfigKey;
import dev.quorum.kit.config.Settings;
import io.javalin.http.Context;
import java.io.IOException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Bearer-token authentication against configured clients whose tokens are stored only as hashes
 * ({@link TokenHasher}), compared in constant time.
 *
 * <p>Client entries are separated by commas; each is {@code clientId:hashhex} followed by optional
 * {@code ;source=...}, {@code ;actor=...} and {@code ;scopes=a+b} fields, e.g.
 * {@code am:3f2a...;source=alertmanager/prod-eu;actor=integration:alertmanager;scopes=publish}.
 * Defaults: source {@code client/<clientId>}, actor {@code integration:<clientId>}, scopes
 * {@code publish+read}. The scope {@code act-on-behalf} lets a client name another actor.
 */
public final class BearerAuth {
  /** The request attribute holding the authenticated {@link Principal}. */
  public static final String PRINCIPAL_ATTRIBUTE = "quorum.principal";

  private record Client(byte[] hash, Principal principal) {}

  private final List<Client> clients;
  private final String pepper;

  private BearerAuth(List<Client> clients, String pepper) {
    this.clients = List.copyOf(clients);
    this.pepper = pepper;
  }

  /** Clients whose hashes are plain SHA-256. */
  public static BearerAuth parse(String spec) {
    return parse(spec, null);
  }

  /**
   * The client list a service's configuration gives under {@code clients}, checked at start: a list that does
   * not parse fails the configuration with a {@link ConfigException} naming the key (never the hashes).
   */
  public static String checkedClients(Settings settings, ConfigKey<String> clients, ConfigKey<String> pepper) {
    String value = settings.get(clients);
    try {
      parse(value, settings.get(pepper));
    } catch (IllegalArgumentException e) {
      throw new ConfigException(clients.name() + ": " + e.getMessage(), e);
    }
    return value;
  }

  /**
   * Clients whose hashes were made with {@code pepper} (HMAC-SHA256, see {@link TokenHasher}); a null or
   * empty pepper means plain SHA-256.
   */
  public static BearerAuth parse(String spec, String pepper) {
    List<Client> clients = new ArrayList<>();
    if (spec == null || spec.isBlank()) return new BearerAuth(clients, pepper);
    Set<String> ids = new LinkedHashSet<>();
    for (String entry : spec.split(",")) {
      String trimmed = entry.trim();
      if (trimmed.isEmpty()) continue;
      Client client = client(trimmed);
      if (!ids.add(client.principal().clientId())) {
        throw new IllegalArgumentException("client " + client.principal().clientId() + " is configured twice");
      }
      clients.add(client);
    }
    return new BearerAuth(clients, pepper);
  }

  private static Client client(String entry) {
    String[] fields = entry.split(";");
    int colon = fields[0].indexOf(':');
    if (colon <= 0) throw new IllegalArgumentException("a client entry starts with clientId:sha256hex");
    String id = fields[0].substring(0, colon).trim();
    byte[] hash;
    try {
      hash = HexFormat.of().parseHex(fields[0].substring(colon + 1).trim().toLowerCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("the hash of client " + id + " is not hex");
    }
    if (hash.length != 32) throw new IllegalArgumentException("the hash of client " + id + " is not a SHA-256 (64 hex digits)");
    String source = "client/" + id;
    String actor = "integration:" + id;
    Set<String> scopes = new LinkedHashSet<>(List.of("publish", "read"));
    for (int i = 1; i < fields.length; i++) {
      String field = fields[i].trim();
      int eq = field.indexOf('=');
      if (eq <= 0) throw new IllegalArgumentException("client " + id + ": expected name=value, got " + field);
      String value = field.substring(eq + 1).trim();
      switch (field.substring(0, eq).trim()) {
        case "source" -> source = value;
        case "actor" -> actor = value;
        case "scopes" -> {
          scopes = new LinkedHashSet<>(Arrays.asList(value.split("\\+")));
          scopes.removeIf(String::isBlank);
        }
        default -> throw new IllegalArgumentException("client " + id + ": unknown field " + field.substring(0, eq));
      }
    }
    return new Client(hash, new Principal(id, source, actor, scopes.contains(Principal.ACT_ON_BEHALF), scopes));
  }

  /** The SHA-256 hex of a token: what goes in the configuration instead of the token. */
  public static String hash(String token) {
    return TokenHasher.hash(token, null);
  }

  /**
   * The principal of the request's bearer token, which must carry {@code scope} (null: any scope);
   * it is also kept on the request for {@link #current(Context)}.
   *
   * @throws ProblemException 401 for a missing or unknown token, 403 for a missing scope
   */
  public Principal authenticate(Context ctx, String scope) {
    String authorization = ctx.header("Authorization");
    Principal principal = principal(authorization);
    if (principal == null) {
      boolean presented = authorization != null && !authorization.isBlank();
      // RFC 6750 §3: say which kind of failure it was, never why a token did not match
      ctx.header("WWW-Authenticate", presented ? "Bearer error=\"invalid_token\"" : "Bearer");
      throw ProblemException.unauthorized(presented ? "the bearer token is not valid" : "a bearer token is required");
    }
    ctx.attribute(PRINCIPAL_ATTRIBUTE, principal);
    return scope == null ? principal : principal.require(scope);
  }

  /**
   * The principal authenticated for this request, by the server (routes behind {@code auth(...)}) or
   * by {@link #authenticate}.
   *
   * @throws ProblemException 401 when the request was not authenticated (a public route)
   */
  public static Principal current(Context ctx) {
    Principal principal = ctx.attribute(PRINCIPAL_ATTRIBUTE);
    if (principal == null) throw ProblemException.unauthorized("a bearer token is required");
    return principal;
  }

  /** The principal of an {@code Authorization} header value, or null. */
  public Principal principal(String authorization) {
    if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) return null;
    String token = authorization.substring(7).trim();
    if (token.isEmpty()) return null;
    byte[] presented = TokenHasher.digest(token, pepper);
    Principal found = null;
    for (Client client : clients) {
      // compare against every client so the time taken does not tell which one matched
      if (MessageDigest.isEqual(client.hash(), presented) && found == null) found = client.principal();
    }
    return found;
  }

  public boolean isEmpty() {
    return clients.isEmpty();
  }

  /** The configured clients' ids, for the start-up log. */
  public List<String> clientIds() {
    return clients.stream().map(c -> c.principal().clientId()).toList();
  }

  @Override
  public String toString() {
    return "BearerAuth" + clientIds();
  }

  /** Same as {@link TokenHasher#main}. */
  public static void main(String[] args) throws IOException {
    TokenHasher.main(args);
  }
}
