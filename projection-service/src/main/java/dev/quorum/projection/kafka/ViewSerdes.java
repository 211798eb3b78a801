package dev.quorum.projection.kafka;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.quorum.event.codec.EventCodec;
import dev.quorum.event.fold.Effect;
import dev.quorum.event.fold.Episode;
import dev.quorum.event.fold.IncidentState;
import dev.quorum.event.fold.TimelineEntry;
import dev.quorum.projection.domain.Bucket;
import dev.quorum.projection.domain.Checkpoint;
import dev.quorum.projection.domain.EpisodeItems;
import dev.quorum.projection.domain.EpisodeSample;
import dev.quorum.projection.domain.Forwarded;
import dev.quorum.projection.domain.MergedSignals;
import dev.quorum.projection.domain.Views.IncidentView;
import java.io.IOException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The serdes of the state stores and output topics: JSON, with events in their CloudEvents form, but for
 * the values only the projection's own stores hold and rewrite most (state, episode, checkpoint), which take
 * a compact binary form ({@link BinaryValues}).
 */
public final class ViewSerdes {
  /** Records as JSON objects, times as ISO-8601 text; shared with the HTTP API. */
  public static final ObjectMapper JSON = JsonMapper.builder(JsonFactory.builder()
          // Map keys (signal fingerprints, follow-up ids) are field names to the parser: interning each one
          // through String.intern took more time than parsing the value they are keys of.
          .disable(JsonFactory.Feature.INTERN_FIELD_NAMES)
          .build())
      .addModule(new JavaTimeModule())
      .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
      .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
      // Store values written by an older build stay readable when a view loses a field.
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .build();

  private ViewSerdes() {}

  /**
   * The state value, in the stores' binary form ({@link BinaryValues}; JSON ones are still read): its
   * serializer remembers the last value it wrote on each thread, so a state the processor sizes before
   * storing ({@code ViewStore.refusal}) is written once, not twice.
   */
  public static Serde<IncidentState> state() {
    return STATE;
  }

  /** One instance, so that the processor's size check and the store's write share its memory. */
  private static final Serde<IncidentState> STATE = lastValue(
      BinaryValues.serde(IncidentState.class, BinaryValues::state, BinaryValues::state));

  private static <T> Serde<T> lastValue(Serde<T> serde) {
    return Serdes.serdeFrom(new LastValueSerializer<>(serde.serializer()), serde.deserializer());
  }

  /** A stored episode, in the stores' binary form ({@link BinaryValues}; JSON ones are still read). */
  public static Serde<Episode> episode() {
    return EPISODE;
  }

  private static final Serde<Episode> EPISODE =
      BinaryValues.serde(Episode.class, BinaryValues::episode, BinaryValues::episode);

  /** A checkpoint, in the stores' binary form ({@link BinaryValues}; JSON ones are still read). */
  public static Serde<Checkpoint> checkpoint() {
    return CHECKPOINT;
  }

  private static final Serde<Checkpoint> CHECKPOINT =
      BinaryValues.serde(Checkpoint.class, BinaryValues::checkpoint, BinaryValues::checkpoint);

  public static Serde<EpisodeSample> sample() {
    return json(EpisodeSample.class);
  }

  public static Serde<Bucket> bucket() {
    return json(Bucket.class);
  }

  public static Serde<EpisodeItems.Item> item() {
    return json(EpisodeItems.Item.class);
  }

  public static Serde<MergedSignals> mergedSignals() {
    return json(MergedSignals.class);
  }

  /** A record for a merge target's key: a forwarded timeline entry, or a merged episode's signals. */
  public static Serde<Forwarded> forwarded() {
    Serializer<TimelineEntry> entries = timelineJson().serializer();
    Deserializer<TimelineEntry> entryReader = timelineJson().deserializer();
    Serializer<Forwarded> serializer = (topic, record) -> {
      if (record == null) return null;
      ObjectNode node = JSON.createObjectNode();
      node.put("target", record.target().toString());
      if (record.hops() > 0) node.put("hops", record.hops());
      switch (record) {
        case Forwarded.Signal signal -> {
          try {
            node.set("entry", JSON.readTree(entries.serialize(topic, signal.entry())));
          } catch (IOException e) {
            throw new SerializationException("cannot write a forwarded entry", e);
          }
        }
        case Forwarded.Moved moved -> {
          node.put("source", moved.source().toString());
          node.put("sourceEpisode", moved.sourceEpisode());
          if (moved.signals() != null) node.set("signals", JSON.valueToTree(new java.util.TreeMap<>(moved.signals())));
        }
      }
      return write(node);
    };
    Deserializer<Forwarded> deserializer = (topic, bytes) -> {
      if (bytes == null) return null;
      try {
        JsonNode node = JSON.readTree(bytes);
        java.util.UUID target = java.util.UUID.fromString(node.get("target").asText());
        int hops = node.path("hops").asInt(0);
        if (node.has("entry")) {
          return new Forwarded.Signal(target, entryReader.deserialize(topic, write(node.get("entry"))), hops);
        }
        JsonNode signals = node.get("signals");
        return new Forwarded.Moved(target, java.util.UUID.fromString(node.get("source").asText()),
            node.get("sourceEpisode").asInt(),
            signals == null ? null : JSON.convertValue(signals, new com.fasterxml.jackson.core.type.TypeReference<
                java.util.Map<String, dev.quorum.event.fold.Episode.SignalStatus>>() {}), hops);
      } catch (IOException | RuntimeException e) {
        throw new SerializationException("unreadable forwarded record", e);
      }
    };
    return Serdes.serdeFrom(serializer, deserializer);
  }

  public static Serde<IncidentView> incidentView() {
    return json(IncidentView.class);
  }

  /**
   * A timeline entry in the store: its episode, effect and reason, then the event as its CloudEvents document
   * ({@link BinaryValues}); an entry stored as one JSON document by an earlier build is still read.
   */
  public static Serde<TimelineEntry> timelineEntry() {
    return TIMELINE;
  }

  private static final Serde<TimelineEntry> TIMELINE = BinaryValues.timelineEntry(timelineJson().deserializer());

  /** A timeline entry as one JSON document: its episode, effect and reason, and the event as a CloudEvents document. */
  static Serde<TimelineEntry> timelineJson() {
    Serializer<TimelineEntry> serializer = (topic, entry) -> {
      if (entry == null) return null;
      ObjectNode node = JSON.createObjectNode();
      node.put("episode", entry.episode());
      node.put("effect", entry.effect().name());
      if (entry.reason() != null) node.put("reason", entry.reason());
      node.set("event", EventCodec.toTree(entry.event()));
      return write(node);
    };
    Deserializer<TimelineEntry> deserializer = (topic, bytes) -> {
      if (bytes == null) return null;
      try {
        JsonNode node = JSON.readTree(bytes);
        JsonNode reason = node.get("reason");
        return new TimelineEntry(
            EventCodec.fromTree(node.get("event")),
            node.get("episode").asInt(),
            Effect.valueOf(node.get("effect").asText()),
            reason == null ? null : reason.asText());
      } catch (IOException | RuntimeException e) {
        throw new SerializationException("unreadable timeline entry", e);
      }
    };
    return Serdes.serdeFrom(serializer, deserializer);
  }

  public static <T> Serde<T> json(Class<T> type) {
    Serializer<T> serializer = (topic, value) -> value == null ? null : write(value);
    Deserializer<T> deserializer = (topic, bytes) -> {
      if (bytes == null) return null;
      try {
        return JSON.readValue(bytes, type);
      } catch (IOException e) {
        throw new SerializationException("unreadable " + type.getSimpleName(), e);
      }
    };
    return Serdes.serdeFrom(serializer, deserializer);
  }

  private static byte[] write(Object value) {
    try {
      return JSON.writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new SerializationException("cannot write " + value.getClass().getSimpleName(), e);
    }
  }
}
