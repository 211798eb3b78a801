package dev.quorum.event;

import java.util.Locale;

/** How bad an incident is, on PagerDuty's four-level scale (also Alertmanager's usual labels). */
public enum Severity {
  CRITICAL, ERROR, WARNING, INFO;

  /** The wire name: lower case. */
  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }
}
