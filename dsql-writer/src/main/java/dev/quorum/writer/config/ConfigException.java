package dev.quorum.writer.config;

/** A configuration value that is missing or invalid; the message names the key. */
public final class ConfigException extends RuntimeException {
  public ConfigException(String message, Throwable cause) {
    super(message, cause);
  }
}
