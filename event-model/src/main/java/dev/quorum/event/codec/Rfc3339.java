package dev.quorum.event.codec;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * The common shapes of RFC 3339 timestamps, read and written without {@code DateTimeFormatter}: the
 * codec reads and writes three of them per event, and the general formatter dominated its cost.
 * Anything outside the common shape is left to the general path, which also words the errors.
 */
final class Rfc3339 {
  private Rfc3339() {}

  /**
   * Reads {@code YYYY-MM-DDTHH:MM:SS[.fraction]Z}, the shape every producer of ours writes.
   *
   * @return the instant, or null when the text has another shape or is not a valid date and time (the
   *     caller then uses the general parser, which accepts other offsets and explains errors)
   */
  static Instant parseUtc(String text) {
    int n = text.length();
    if (n < 20 || n > 30 || text.charAt(n - 1) != 'Z') return null;
    if (text.charAt(4) != '-' || text.charAt(7) != '-' || text.charAt(10) != 'T' || text.charAt(13) != ':'
        || text.charAt(16) != ':') {
      return null;
    }
    int year = digits(text, 0, 4);
    int month = digits(text, 5, 2);
    int day = digits(text, 8, 2);
    int hour = digits(text, 11, 2);
    int minute = digits(text, 14, 2);
    int second = digits(text, 17, 2);
    if ((year | month | day | hour | minute | second) < 0) return null;
    int nanos = 0;
    if (n > 20) {
      if (text.charAt(19) != '.' || n == 21) return null;
      int fraction = n - 21;
      int value = digits(text, 20, fraction);
      if (value < 0) return null;
      nanos = value;
      for (int i = fraction; i < 9; i++) nanos *= 10;
    }
    try {
      return LocalDateTime.of(year, month, day, hour, minute, second, nanos).toInstant(ZoneOffset.UTC);
    } catch (DateTimeException e) {
      return null;
    }
  }

  /** Writes an instant exactly as {@link Instant#toString()} does. */
  static String format(Instant instant) {
    long seconds = instant.getEpochSecond();
    // Years 0000-9999 only; others (signs, more digits) take the general path.
    if (seconds < -62_167_219_200L || seconds > 253_402_300_799L) return instant.toString();
    LocalDateTime time = LocalDateTime.ofEpochSecond(seconds, 0, ZoneOffset.UTC);
    char[] out = new char[30];
    put(out, 0, time.getYear(), 4);
    out[4] = '-';
    put(out, 5, time.getMonthValue(), 2);
    out[7] = '-';
    put(out, 8, time.getDayOfMonth(), 2);
    out[10] = 'T';
    put(out, 11, time.getHour(), 2);
    out[13] = ':';
    put(out, 14, time.getMinute(), 2);
    out[16] = ':';
    put(out, 17, time.getSecond(), 2);
    int length = 19;
    int nanos = instant.getNano();
    if (nanos != 0) {
      out[length++] = '.';
      if (nanos % 1_000_000 == 0) {
        put(out, length, nanos / 1_000_000, 3);
        length += 3;
      } else if (nanos % 1_000 == 0) {
        put(out, length, nanos / 1_000, 6);
        length += 6;
      } else {
        put(out, length, nanos, 9);
        length += 9;
      }
    }
    out[length++] = 'Z';
    return new String(out, 0, length);
  }

  private static void put(char[] out, int at, int value, int width) {
    for (int i = at + width - 1; i >= at; i--) {
      out[i] = (char) ('0' + value % 10);
      value /= 10;
    }
  }

  /** The decimal value of {@code count} ASCII digits from {@code at}, or -1. */
  private static int digits(String text, int at, int count) {
    int value = 0;
    for (int i = at; i < at + count; i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '9') return -1;
      value = value * 10 + (c - '0');
    }
    return value;
  }
}
