package dev.quorum.projection.http;

import dev.quorum.event.fold.OrderKey;
import dev.quorum.kit.http.ProblemException;
import dev.quorum.projection.domain.Listing;
import io.javalin.http.Context;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.function.Function;

/**
 * Reads request parameters, answering 400 with the parameter's name when one is malformed. The readers
 * of a {@link Context} hand the raw text to string-level parsers, which the fuzz tests drive directly.
 */
final class Params {
  private Params() {}

  static UUID uuidPath(Context ctx, String name) {
    return uuid(name, ctx.pathParam(name));
  }

  static Integer integer(Context ctx, String name, int min, int max) {
    String value = ctx.queryParam(name);
    return value == null ? null : integer(name, value, min, max);
  }

  static Instant instant(Context ctx, String name) {
    String value = ctx.queryParam(name);
    return value == null ? null : instant(name, value);
  }

  static LocalDate date(Context ctx, String name) {
    String value = ctx.queryParam(name);
    return value == null ? null : date(name, value);
  }

  static String text(Context ctx, String name) {
    String value = ctx.queryParam(name);
    return value == null || value.isBlank() ? null : value;
  }

  /** A parameter that may repeat and may list values separated by commas. */
  static <E extends Enum<E>> List<E> enums(Context ctx, String name, Class<E> type) {
    return enums(name, ctx.queryParams(name), type);
  }

  // ---------------------------------------------------------------- the parsers of raw text

  static UUID uuid(String name, String value) {
    return parse(name, value, UUID::fromString, "a UUID");
  }

  static int integer(String name, String value, int min, int max) {
    int parsed = parse(name, value, Integer::parseInt, "an integer");
    if (parsed < min || parsed > max) {
      throw ProblemException.badRequest(name + " must be between " + min + " and " + max + ", was " + parsed, name);
    }
    return parsed;
  }

  static Instant instant(String name, String value) {
    return parse(name, value, Instant::parse, "an ISO-8601 instant such as 2026-06-15T02:14:07Z");
  }

  static LocalDate date(String name, String value) {
    return parse(name, value, LocalDate::parse, "a date such as 2026-06-15");
  }

  static <E extends Enum<E>> List<E> enums(String name, List<String> raw, Class<E> type) {
    List<E> values = new ArrayList<>();
    for (String one : raw) {
      for (String part : one.split(",")) {
        if (part.isBlank()) continue;
        values.add(enumValue(name, part.trim(), type));
      }
    }
    return values;
  }

  static <E extends Enum<E>> E enumValue(String name, String value, Class<E> type) {
    try {
      return Enum.valueOf(type, value.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      List<String> allowed = new ArrayList<>();
      for (E constant : type.getEnumConstants()) allowed.add(constant.name().toLowerCase(Locale.ROOT));
      throw ProblemException.badRequest(name + " must be one of " + allowed + ", was \"" + quoted(value) + "\"", name);
    }
  }

  static int episodeNumber(String name, String value) {
    return parse(name, value, text -> {
      int number = Integer.parseInt(text);
      if (number < 1) throw new IllegalArgumentException("episodes are numbered from 1");
      return number;
    }, "an episode number (1, 2, ...)");
  }

  /** The position after which a page of the incident list continues. */
  static Listing.Position listCursor(String name, String value) {
    return parse(name, value, Listing.Position::fromCursor, "a cursor from a previous page");
  }

  /** The position after which a page of a timeline continues. */
  static OrderKey timelineCursor(String name, String value) {
    return parse(name, value, c -> OrderKey.fromBytes(Base64.getUrlDecoder().decode(c)), "a cursor from a previous page");
  }

  /**
   * The parsed value; a 400 naming the parameter for whatever the parser throws, since all it was given
   * is the client's text.
   */
  static <T> T parse(String name, String value, Function<String, T> parser, String expected) {
    try {
      return parser.apply(value);
    } catch (RuntimeException e) {
      throw ProblemException.badRequest(name + " must be " + expected + ", was \"" + quoted(value) + "\"", name);
    }
  }

  /** The client's text as echoed in a problem: at most 64 characters, never half a surrogate pair. */
  private static String quoted(String value) {
    if (value.length() <= 64) return value;
    int cut = Character.isHighSurrogate(value.charAt(60)) ? 60 : 61;
    return value.substring(0, cut) + "...";
  }
}
