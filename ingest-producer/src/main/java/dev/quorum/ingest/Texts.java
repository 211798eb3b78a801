package dev.quorum.ingest;

/** Fitting foreign text into the event catalogue's limits. */
public final class Texts {
  private Texts() {}

  /** The text cut to at most {@code max} characters, marked with an ellipsis, never splitting a surrogate pair. */
  public static String clip(String text, int max) {
    if (text.length() <= max) return text;
    int cut = max - 1;
    if (Character.isHighSurrogate(text.charAt(cut - 1))) cut--;
    return text.substring(0, cut) + "…";
  }

  /** The stripped text, or null when it is null or blank. */
  public static String nonBlank(String text) {
    return text == null || text.isBlank() ? null : text.strip();
  }
}
