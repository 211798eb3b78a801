package dev.quorum.projection.http;

import dev.quorum.kit.http.ProblemException;
import io.javalin.http.Context;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.function.Function;

/** Reads request parameters, answering 400 with the parameter's name when one is malformed. */
final class Params {
  private Params() {}

  static UUID uuidPath(Context ctx, String name) {
    return parse(name, ctx.pathParam(name), UUID::fromString, "a UUID");
  }

  static Integer integer(Context ctx, String name, int min, int max) {
    String value = ctx.queryParam(name);
    if (value == null) return null;
    int parsed = parse(name, value, Integer::parseInt, "an integer");
    if (parsed < min || parsed > max) {
      throw ProblemException.badRequest(name + " must be between " + min + " and " + max + ", was " + parsed, name);
    }
    return parsed;
  }

  static Instant instant(Context ctx, String name) {
    String value = ctx.queryParam(name);
    return value == null ? null : parse(name, value, Instant::parse, "an ISO-8601 instant such as 2026-06-15T02:14:07Z");
  }

  static LocalDate date(Context ctx, String name) {
    String value = ctx.queryParam(name);
    return value == null ? null : parse(name, value, LocalDate::parse, "a date such as 2026-06-15");
  }

  static String text(Context ctx, String name) {
    String value = ctx.queryParam(name);
    return value == null || value.isBlank() ? null : value;
  }

  /** A parameter that may repeat and may list values separated by commas. */
  static <E extends Enum<E>> List<E> enums(Context ctx, String name, Class<E> type) {
    List<E> values = new ArrayList<>();
    for (String raw : ctx.queryParams(name)) {
      for (String part : raw.split(",")) {
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
      throw ProblemException.badRequest(name + " must be one of " + allowed + ", was \"" + value + "\"", name);
    }
  }

  static int episodeNumber(String text) {
    int number = Integer.parseInt(text);
    if (number < 1) throw new IllegalArgumentException("episodes are numbered from 1");
    return number;
  }

  static <T> T parse(String name, String value, Function<String, T> parser, String expected) {
    try {
      return parser.apply(value);
    } catch (IllegalArgumentException | DateTimeParseException e) {
      throw ProblemException.badRequest(name + " must be " + expected + ", was \"" + value + "\"", name);
    }
  }
}
