package dev.quorum.ingest.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quorum.event.Event;
import dev.quorum.event.codec.DecodeException;
import dev.quorum.event.codec.EventCodec;
import dev.quorum.ingest.Caller;
import dev.quorum.ingest.InvalidInput;
import dev.quorum.ingest.JsonFields;
import dev.quorum.ingest.kafka.Published;
import dev.quorum.kit.http.BearerAuth;
import dev.quorum.kit.http.ProblemException;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code POST /v1/events}: one CloudEvent (structured mode) or a CloudEvents JSON batch, stamped with the
 * caller's source and actor, validated whole before any event is sent.
 */
final class EventsEndpoint {
  static final String PATH = "/v1/events";

  private final Delivery delivery;
  private final int maxBatch;

  EventsEndpoint(Delivery delivery, int maxBatch) {
    this.delivery = delivery;
    this.maxBatch = maxBatch;
  }

  /** Behind the server's bearer authentication with the {@code publish} scope. */
  void handle(Context ctx) {
    Caller caller = Requests.caller(BearerAuth.current(ctx));
    Kind kind = kind(ctx.contentType());
    byte[] body = Requests.body(ctx);
    List<Event> events = events(JsonFields.parse(body), kind, caller);
    List<Published> published = delivery.publish(PATH, events);
    Requests.json(ctx, 202, Requests.accepted(published));
  }

  /** What the media type says the body holds. */
  private enum Kind { ONE, BATCH, EITHER }

  private static Kind kind(String contentType) {
    if (contentType == null || contentType.isBlank()) return Kind.EITHER;
    String type = contentType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
    return switch (type) {
      case EventCodec.MEDIA_TYPE -> Kind.ONE;
      case EventCodec.BATCH_MEDIA_TYPE -> Kind.BATCH;
      case "application/json" -> Kind.EITHER;
      default -> throw new ProblemException(415, "Unsupported Media Type", "send " + EventCodec.MEDIA_TYPE + ", "
          + EventCodec.BATCH_MEDIA_TYPE + " or application/json, not " + JsonFields.abbreviate(type), null, null, null);
    };
  }

  private List<Event> events(JsonNode tree, Kind kind, Caller caller) {
    if (tree.isArray() && kind != Kind.ONE) {
      if (tree.isEmpty()) throw new InvalidInput("$", "a batch must hold at least one event");
      if (tree.size() > maxBatch) throw new InvalidInput("$", "a batch holds at most " + maxBatch + " events, this one " + tree.size());
      List<Event> events = new ArrayList<>(tree.size());
      for (int i = 0; i < tree.size(); i++) events.add(event(tree.get(i), "$[" + i + "]", caller));
      return events;
    }
    if (tree.isObject() && kind != Kind.BATCH) return List.of(event(tree, "$", caller));
    throw new InvalidInput("$", switch (kind) {
      case ONE -> "must be one event (a JSON object), was " + JsonFields.kind(tree);
      case BATCH -> "must be a batch (a JSON array), was " + JsonFields.kind(tree);
      case EITHER -> "must be an event (object) or a batch (array), was " + JsonFields.kind(tree);
    });
  }

  /**
   * One event as the caller may publish it: {@code source} and {@code actor} come from the caller (a body
   * may leave them out), unless it may act on behalf of others and names an actor.
   */
  private static Event event(JsonNode node, String path, Caller caller) {
    if (!node.isObject()) throw new InvalidInput(path, "must be a JSON object, was " + JsonFields.kind(node));
    ObjectNode envelope = ((ObjectNode) node).deepCopy();
    for (String attribute : EventCodec.PIPELINE_ATTRIBUTES) {
      if (envelope.has(attribute)) {
        throw new InvalidInput(path + "." + attribute, "is set by the pipeline when the event is first stored; a producer must not send it");
      }
    }
    envelope.put("source", caller.source());
    if (!caller.mayActOnBehalf() || !envelope.hasNonNull("actor")) envelope.put("actor", caller.actor());
    envelope.remove("principal");
    try {
      return caller.stamp(EventCodec.fromTree(envelope));
    } catch (DecodeException e) {
      throw new InvalidInput(path + e.path().substring(1), e.reason());
    }
  }
}
