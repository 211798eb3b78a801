package dev.quorum.event;

/** Size limits of envelope attributes and data fields, enforced by the codec. */
public final class Limits {
  /** Identifiers and names: source, actor, fingerprint, service, responder, label keys. */
  public static final int SHORT_TEXT = 256;
  /** Titles and label values. */
  public static final int TITLE = 1024;
  /** Free text: notes, descriptions, resolutions, reasons. */
  public static final int LONG_TEXT = 16 * 1024;
  /** Labels on one alert. */
  public static final int MAX_LABELS = 64;
  /**
   * The largest encoded event accepted. Stored events travel on with a few hundred bytes of pipeline
   * attributes, so this keeps every committed event and dead letter well under Kafka's 1 MiB default.
   */
  public static final int MAX_EVENT_BYTES = 512 * 1024;
  /** The largest escalation level accepted. */
  public static final int MAX_ESCALATION_LEVEL = 100;

  private Limits() {}
}
