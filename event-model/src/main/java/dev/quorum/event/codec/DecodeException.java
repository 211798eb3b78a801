package dev.quorum.event.codec;

/** A record that is not a valid Quorum event: names the JSON path and the reason. */
public final class DecodeException extends RuntimeException {
  private final String path;
  private final String reason;

  public DecodeException(String path, String reason) {
    this(path, reason, null);
  }

  public DecodeException(String path, String reason, Throwable cause) {
    super(path + ": " + reason, cause);
    this.path = path;
    this.reason = reason;
  }

  /** The JSON path of the offending value, e.g. {@code $.data.severity}; {@code $} for the document. */
  public String path() {
    return path;
  }

  /** Why it is invalid, without the path. */
  public String reason() {
    return reason;
  }

  /** The field name for a problem body: the path without the {@code $.} prefix, or empty. */
  public String field() {
    return path.startsWith("$.") ? path.substring(2) : path.equals("$") ? "" : path;
  }
}
