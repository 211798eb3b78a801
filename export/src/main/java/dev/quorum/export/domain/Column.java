package dev.quorum.export.domain;

import java.util.Objects;
import java.util.function.Function;

/**
 * One column of an exported table: its name, its DuckDB type and how a row gives its value (a
 * {@code String}, {@code Integer}, {@code Long}, {@code Double}, {@code Boolean}, {@code Instant},
 * {@code LocalDate}, or null).
 */
public record Column<R>(String name, String type, Function<R, ?> value) {
  public Column {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(value, "value");
  }
}
