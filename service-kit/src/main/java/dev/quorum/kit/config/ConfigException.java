package dev.quorum.kit.config;

import java.util.List;

/** A configuration that cannot start a service: the message names each bad key and its value. */
public final class ConfigException extends RuntimeException {
  private final List<String> errors;

  public ConfigException(String message) {
    super(message);
    this.errors = List.of(message);
  }

  public ConfigException(String message, Throwable cause) {
    super(message, cause);
    this.errors = List.of(message);
  }

  /** Every problem found at once, so that one restart fixes them all. */
  public ConfigException(List<String> errors) {
    super(String.join("; ", errors));
    this.errors = List.copyOf(errors);
  }

  /** One message per bad key. */
  public List<String> errors() {
    return errors;
  }
}
