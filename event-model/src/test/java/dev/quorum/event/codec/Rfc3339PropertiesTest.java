package dev.quorum.event.codec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quorum.event.EventData;
import dev.quorum.event.testing.EventArbitraries;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Label;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** The codec's fast paths (timestamps, UUIDs, the data column) agree with the general ones they stand in for. */
class Rfc3339PropertiesTest {

  @Provide
  Arbitrary<Instant> anyInstant() {
    return Arbitraries.longs().between(-62_167_219_200L - 10, 253_402_300_799L + 10)
        .flatMap(seconds -> Arbitraries.oneOf(Arbitraries.just(0), Arbitraries.integers().between(0, 999).map(ms -> ms * 1_000_000),
            Arbitraries.integers().between(0, 999_999).map(us -> us * 1_000), Arbitraries.integers().between(0, 999_999_999))
            .map(nanos -> Instant.ofEpochSecond(seconds, nanos)));
  }

  @Property(tries = 3000)
  @Label("format writes what Instant.toString writes")
  void format_is_instant_to_string(@ForAll("anyInstant") Instant instant) {
    assertThat(Rfc3339.format(instant)).isEqualTo(instant.toString());
  }

  @Property(tries = 3000)
  @Label("parseUtc reads back what Instant.toString writes, as the general parser does")
  void parse_reads_instant_to_string(@ForAll("anyInstant") Instant instant) {
    String text = instant.toString();
    Instant parsed = Rfc3339.parseUtc(text);
    if (parsed != null) assertThat(parsed).isEqualTo(general(text));
  }

  @Property(tries = 5000)
  @Label("parseUtc agrees with the general parser on timestamp-like text, or leaves it to it")
  void parse_agrees_with_the_general_parser(@ForAll("timestampLike") String text) {
    Instant parsed = Rfc3339.parseUtc(text);
    if (parsed != null) assertThat(parsed).isEqualTo(general(text));
  }

  @Provide
  Arbitrary<String> timestampLike() {
    Arbitrary<String> two = Arbitraries.integers().between(0, 99).map(i -> String.format("%02d", i));
    Arbitrary<String> fraction = Arbitraries.strings().numeric().ofMinLength(0).ofMaxLength(11).map(f -> f.isEmpty() ? "" : "." + f);
    return net.jqwik.api.Combinators.combine(Arbitraries.integers().between(0, 9999).map(y -> String.format("%04d", y)),
        two, two, two, two, two, fraction, Arbitraries.of("Z", "z", "+00:00", "+01:30", "", "ZZ"))
        .as((y, mo, d, h, mi, s, f, z) -> y + "-" + mo + "-" + d + "T" + h + ":" + mi + ":" + s + f + z);
  }

  @Example
  void impossible_dates_are_left_to_the_general_parser() {
    assertThat(Rfc3339.parseUtc("2026-02-30T00:00:00Z")).isNull();
    assertThat(Rfc3339.parseUtc("2026-06-15T24:00:00Z")).isNull();
    assertThat(Rfc3339.parseUtc("2026-06-15T02:14:07.Z")).isNull();
    assertThat(Rfc3339.parseUtc("2026-06-15T02:14:07.1234567890Z")).isNull();
    assertThat(Rfc3339.parseUtc("2026-06-15T02:14:07.123456789Z")).isEqualTo(Instant.parse("2026-06-15T02:14:07.123456789Z"));
  }

  @Property(tries = 2000)
  @Label("the UUID check accepts exactly the canonical 8-4-4-4-12 hex form")
  void uuid_check_is_the_canonical_form(@ForAll("uuidLike") String text) {
    assertThat(Fields.isCanonicalUuid(text))
        .isEqualTo(text.matches("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"));
  }

  @Provide
  Arbitrary<String> uuidLike() {
    Arbitrary<String> canonical = EventArbitraries.uuids().map(UUID::toString);
    Arbitrary<String> mutated = canonical.flatMap(u -> Arbitraries.integers().between(0, 35)
        .flatMap(i -> Arbitraries.chars().map(c -> u.substring(0, i) + c + u.substring(i + 1))));
    return Arbitraries.oneOf(canonical, canonical.map(String::toUpperCase), mutated,
        Arbitraries.strings().withChars("0123456789abcdefABCDEF-gG\u0663\uff21").ofLength(36));
  }

  @Property(tries = 1000)
  @Label("the data column's text is the data tree written out")
  void data_text_is_the_data_tree_written_out(@ForAll("data") EventData data) {
    var tree = EventCodec.dataTree(data);
    assertThat(EventCodec.dataText(data)).isEqualTo(tree == null ? null : tree.toString());
  }

  @Provide
  Arbitrary<EventData> data() {
    return EventArbitraries.eventData();
  }

  private static Instant general(String text) {
    try {
      return OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
    } catch (DateTimeParseException e) {
      throw new AssertionError("the fast path read \"" + text + "\", which the general parser refuses", e);
    }
  }
}
