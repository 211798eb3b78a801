package dev.quorum.projection.http;

import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * Bearer authentication of the query API: a token is accepted when its SHA-256 (hex) is configured,
 * as {@code name:sha256hex} entries separated by commas; tokens themselves are never stored.
 */
public final class BearerAuth implements Handler {
  private final List<byte[]> hashes;

  public BearerAuth(String spec) {
    this.hashes = spec == null ? List.of() : java.util.Arrays.stream(spec.split(","))
        .map(String::trim).filter(s -> !s.isEmpty())
        .map(entry -> HexFormat.of().parseHex(entry.substring(entry.indexOf(':') + 1).toLowerCase(Locale.ROOT)))
        .toList();
  }

  /** The SHA-256 of a token, as configured. */
  public static String hash(String token) {
    return HexFormat.of().formatHex(sha256(token));
  }

  @Override
  public void handle(Context ctx) {
    String header = ctx.header("Authorization");
    if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      byte[] presented = sha256(header.substring(7).trim());
      for (byte[] hash : hashes) {
        if (MessageDigest.isEqual(hash, presented)) return;
      }
    }
    ctx.header("WWW-Authenticate", "Bearer");
    Problems.write(ctx, ApiException.unauthorized());
    ctx.skipRemainingHandlers();
  }

  private static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK provides SHA-256", e);
    }
  }
}
