package dev.quorum.projection.domain;

import java.time.LocalDate;
import java.util.Objects;

/** One analytics bucket: a UTC day, a service and a severity. */
public record BucketKey(LocalDate day, String service, String severity) {
  public BucketKey {
    Objects.requireNonNull(day, "day");
    Objects.requireNonNull(service, "service");
    Objects.requireNonNull(severity, "severity");
  }

  /** {@code day|severity|service}: the service goes last because it is free text and may hold the separator. */
  public String encode() {
    return day + "|" + severity + "|" + service;
  }

  public static BucketKey decode(String text) {
    String[] parts = text.split("\\|", 3);
    if (parts.length != 3) throw new IllegalArgumentException("not a bucket key: " + text);
    return new BucketKey(LocalDate.parse(parts[0]), parts[2], parts[1]);
  }
}
