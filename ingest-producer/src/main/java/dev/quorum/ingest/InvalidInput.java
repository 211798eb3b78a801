package dev.quorum.ingest;

import dev.quorum.event.codec.DecodeException;
import java.util.List;
import java.util.Objects;

/** A request body that cannot become events: every violation names the JSON path (or form field) and the reason. */
public final class InvalidInput extends RuntimeException {

  /** One reason a body is invalid. */
  public record Violation(String path, String reason) {
    public Violation {
      Objects.requireNonNull(path, "path");
      Objects.requireNonNull(reason, "reason");
    }

    /** The field name for a problem body: the path without the {@code $.} prefix, or empty for the document. */
    public String field() {
      return path.startsWith("$.") ? path.substring(2) : path.startsWith("$") ? path.substring(1) : path;
    }

    @Override
    public String toString() {
      return path + ": " + reason;
    }
  }

  private final List<Violation> violations;

  public InvalidInput(List<Violation> violations) {
    super(describe(violations));
    this.violations = List.copyOf(violations);
  }

  public InvalidInput(String path, String reason) {
    this(List.of(new Violation(path, reason)));
  }

  public static InvalidInput from(DecodeException e) {
    return new InvalidInput(e.path(), e.reason());
  }

  /** Every violation found, the first one first; never empty. */
  public List<Violation> violations() {
    return violations;
  }

  public Violation first() {
    return violations.getFirst();
  }

  private static String describe(List<Violation> violations) {
    if (violations.isEmpty()) throw new IllegalArgumentException("an invalid input has at least one violation");
    return violations.size() == 1 ? violations.getFirst().toString() : violations.toString();
  }
}
