package dev.quorum.ingest.slack;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Slack's request signing (v0): {@code v0=} + hex HMAC-SHA256 of {@code v0:<timestamp>:<raw body>} with
 * the app's signing secret, compared in constant time, with the timestamp within a window either way.
 */
public final class SlackSignature {
  /** Slack's advice: reject requests whose timestamp is more than five minutes off. */
  public static final Duration DEFAULT_MAX_SKEW = Duration.ofMinutes(5);
  public static final String TIMESTAMP_HEADER = "X-Slack-Request-Timestamp";
  public static final String SIGNATURE_HEADER = "X-Slack-Signature";
  private static final String VERSION = "v0";
  private static final String ALGORITHM = "HmacSHA256";

  /** The outcome of a verification; only {@link #VALID} lets a request in. */
  public enum Verdict {
    VALID("valid"),
    MISSING("the request is not signed"),
    BAD_TIMESTAMP("the request timestamp is not a number of seconds"),
    STALE("the request timestamp is too far from now"),
    MISMATCH("the signature does not match");

    private final String description;

    Verdict(String description) {
      this.description = description;
    }

    public String description() {
      return description;
    }
  }

  private final SecretKeySpec key;
  private final Duration maxSkew;

  public SlackSignature(String signingSecret, Duration maxSkew) {
    Objects.requireNonNull(signingSecret, "signingSecret");
    if (signingSecret.isEmpty()) throw new IllegalArgumentException("the signing secret is empty");
    this.key = new SecretKeySpec(signingSecret.getBytes(StandardCharsets.UTF_8), ALGORITHM);
    this.maxSkew = Objects.requireNonNull(maxSkew, "maxSkew");
  }

  /**
   * Verifies one request.
   *
   * @param timestamp the {@value #TIMESTAMP_HEADER} header, or null
   * @param signature the {@value #SIGNATURE_HEADER} header, or null
   * @param rawBody the body exactly as received (the signature covers its bytes, not a re-encoding)
   * @param now the verifier's clock
   */
  public Verdict verify(String timestamp, String signature, byte[] rawBody, Instant now) {
    if (timestamp == null || signature == null || timestamp.isEmpty() || signature.isEmpty()) return Verdict.MISSING;
    long seconds;
    try {
      if (timestamp.length() > 12) return Verdict.BAD_TIMESTAMP;
      seconds = Long.parseLong(timestamp);
    } catch (NumberFormatException e) {
      return Verdict.BAD_TIMESTAMP;
    }
    if (Math.abs(now.getEpochSecond() - seconds) > maxSkew.toSeconds()) return Verdict.STALE;
    byte[] expected = sign(timestamp, rawBody).getBytes(StandardCharsets.US_ASCII);
    byte[] given = signature.getBytes(StandardCharsets.US_ASCII);
    return MessageDigest.isEqual(expected, given) ? Verdict.VALID : Verdict.MISMATCH;
  }

  /** The {@value #SIGNATURE_HEADER} value Slack sends for this timestamp and body. */
  public String sign(String timestamp, byte[] rawBody) {
    Mac mac = mac();
    mac.update((VERSION + ":" + timestamp + ":").getBytes(StandardCharsets.UTF_8));
    mac.update(rawBody);
    return VERSION + "=" + HexFormat.of().formatHex(mac.doFinal());
  }

  private Mac mac() {
    try {
      Mac mac = Mac.getInstance(ALGORITHM);
      mac.init(key);
      return mac;
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("every JDK provides " + ALGORITHM, e);
    }
  }
}
