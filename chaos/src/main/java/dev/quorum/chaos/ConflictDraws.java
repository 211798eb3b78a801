package dev.quorum.chaos;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Recomputes the conflict injector's draws: its n-th transaction of a kind fails when 52 bits of
 * {@code md5(seed:kind:n)} as a fraction of 2^52 fall under the rate (local-stack's
 * {@code DsqlConflictInjector}). With the number of decisions it reports, this counts the conflicts
 * it raised, however many processes committed.
 */
final class ConflictDraws {
  private ConflictDraws() {}

  static long hits(long seed, String kind, long decisions, double rate) {
    long hits = 0;
    for (long n = 1; n <= decisions; n++) if (draw(seed, kind, n) < rate) hits++;
    return hits;
  }

  static double draw(long seed, String kind, long n) {
    try {
      byte[] md5 = MessageDigest.getInstance("MD5").digest((seed + ":" + kind + ":" + n).getBytes(StandardCharsets.UTF_8));
      String hex = String.format("%032x", new BigInteger(1, md5));
      return Long.parseLong(hex.substring(0, 13), 16) / 4503599627370496.0;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("MD5 is part of every JDK", e);
    }
  }
}
