package dev.quorum.kit.http;

import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Bearer-token authentication against configured clients whose tokens are stored only as SHA-256
 * hashes, compared in constant time.
 *
 * <p>Client entries are separated by commas; each is {@code clientId:sha256hex} followed by optional
 * {@code ;source=...}, {@code ;actor=...} and {@code ;scopes=a+b} fields, e.g.
 * {@code am:3f2a...;source=alertmanager/prod-eu;actor=integration:alertmanager;scopes=publish}.
 * Defaults: source {@code client/<clientId>}, actor {@code integration:<clientId>}, scopes
 * {@code publish+read}. The scope {@code act-on-behalf} lets a client name another actor.
 */
public final class BearerAuth {
  private record Client(byte[] hash, Principal principal) {}

  private final List<Client> clients;

  private BearerAuth(List<Client> clients) {
    this.clients = List.copyOf(clients);
  }

  public static BearerAuth parse(String spec) {
    List<Client> clients = new ArrayList<>();
    if (spec == null || spec.isBlank()) return new BearerAuth(clients);
    for (String entry : spec.split(",")) {
      String trimmed = entry.trim();
      if (trimmed.isEmpty()) continue;
      String[] fields = trimmed.split(";");
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
      clients.add(new Client(hash, new Principal(id, source, actor, scopes.contains(Principal.ACT_ON_BEHALF), scopes)));
    }
    return new BearerAuth(clients);
  }

  /** The SHA-256 hex of a token: what goes in the configuration instead of the token. */
  public static String hash(String token) {
    return HexFormat.of().formatHex(sha256(token));
  }

  /**
   * The principal of the request's bearer token, which must carry {@code scope}.
   *
   * @throws ProblemException 401 for a missing or unknown token, 403 for a missing scope
   */
  public Principal authenticate(Context ctx, String scope) {
    Principal principal = principal(ctx.header("Authorization"));
    if (principal == null) throw ProblemException.unauthorized("a valid bearer token is required");
    if (scope != null && !principal.has(scope)) {
      throw ProblemException.forbidden("client " + principal.clientId() + " lacks the scope " + scope);
    }
    return principal;
  }

  /** The principal of an {@code Authorization} header value, or null. */
  public Principal principal(String authorization) {
    if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) return null;
    String token = authorization.substring(7).trim();
    if (token.isEmpty()) return null;
    byte[] presented = sha256(token);
    Principal found = null;
    for (Client client : clients) {
      // compare against every client so the time taken does not tell which prefix matched
      if (MessageDigest.isEqual(client.hash(), presented) && found == null) found = client.principal();
    }
    return found;
  }

  public boolean isEmpty() {
    return clients.isEmpty();
  }

  private static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK provides SHA-256", e);
    }
  }

  /** Prints the hash of a token for the configuration: {@code TokenHash <token>} (or the token on stdin). */
  public static void main(String[] args) throws java.io.IOException {
    String token = args.length > 0 ? args[0] : new String(System.in.readAllBytes(), StandardCharsets.UTF_8).trim();
    System.out.println(hash(token));
  }
}
