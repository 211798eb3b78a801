package dev.quorum.kit.http;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * An RFC 9457 problem a handler answers with: status, title, detail, and optionally the offending
 * field, a list of errors and a {@code Retry-After} in seconds.
 */
public class ProblemException extends RuntimeException {
  private final int status;
  private final String title;
  private final String field;
  private final List<String> errors;
  private final Integer retryAfterSeconds;

  public ProblemException(int status, String title, String detail, String field, List<String> errors,
      Integer retryAfterSeconds) {
    super(detail);
    if (status < 400 || status > 599) throw new IllegalArgumentException("a problem has a 4xx or 5xx status, not " + status);
    this.status = status;
    this.title = Objects.requireNonNull(title, "title");
    this.field = field;
    this.errors = errors == null ? List.of() : List.copyOf(errors);
    this.retryAfterSeconds = retryAfterSeconds;
  }

  /** A problem about one field of the request (null when it concerns no single field). */
  public ProblemException(int status, String title, String detail, String field) {
    this(status, title, detail, field, null, null);
  }

  /** The same problem, answered with a {@code Retry-After} of the given seconds. */
  public ProblemException withRetryAfter(int seconds) {
    return new ProblemException(status, title, getMessage(), field, errors, seconds);
  }

  /** The same problem, listing every error found (so a client fixes them all in one go). */
  public ProblemException withErrors(List<String> allErrors) {
    return new ProblemException(status, title, getMessage(), field, allErrors, retryAfterSeconds);
  }

  public static ProblemException badRequest(String detail, String field) {
    return new ProblemException(400, "Bad Request", detail, field, null, null);
  }

  public static ProblemException unauthorized(String detail) {
    return new ProblemException(401, "Unauthorized", detail, null, null, null);
  }

  public static ProblemException forbidden(String detail) {
    return new ProblemException(403, "Forbidden", detail, null, null, null);
  }

  public static ProblemException notFound(String detail) {
    return new ProblemException(404, "Not Found", detail, null, null, null);
  }

  public static ProblemException unavailable(String detail, int retryAfterSeconds) {
    return new ProblemException(503, "Service Unavailable", detail, null, null, retryAfterSeconds);
  }

  /** 503 with {@code Retry-After}, rounded up to whole seconds (at least one). */
  public static ProblemException unavailable(String detail, Duration retryAfter) {
    long seconds = Math.max(1, (retryAfter.toMillis() + 999) / 1000);
    return unavailable(detail, (int) Math.min(Integer.MAX_VALUE, seconds));
  }

  public static ProblemException tooLarge(String detail) {
    return new ProblemException(413, "Content Too Large", detail, null, null, null);
  }

  public int status() {
    return status;
  }

  public String title() {
    return title;
  }

  public String detail() {
    return getMessage();
  }

  public String field() {
    return field;
  }

  public List<String> errors() {
    return errors;
  }

  public Integer retryAfterSeconds() {
    return retryAfterSeconds;
  }
}
