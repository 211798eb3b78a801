package dev.quorum.ingest.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quorum.ingest.Caller;
import dev.quorum.ingest.InvalidInput;
import dev.quorum.ingest.kafka.Published;
import dev.quorum.kit.http.Principal;
import dev.quorum.kit.http.ProblemException;
import dev.quorum.kit.http.Problems;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What every route does with a request: a bounded body, the caller, problem and JSON answers. */
final class Requests {
  static final ObjectMapper JSON = new ObjectMapper();

  private Requests() {}

  /**
   * The raw body. The server refuses one larger than its limit with a 413, whether it announces its
   * length or comes chunked; reading it here is what trips the chunked check.
   */
  static byte[] body(Context ctx) {
    return ctx.bodyAsBytes();
  }

  static Caller caller(Principal principal) {
    return new Caller(principal.clientId(), principal.source(), principal.actor(), principal.mayActOnBehalf());
  }

  /** A 400 problem naming the first invalid field and listing every violation. */
  static void invalid(Context ctx, InvalidInput e) {
    List<String> errors = e.violations().size() > 1 ? e.violations().stream().map(InvalidInput.Violation::toString).toList() : null;
    Problems.write(ctx, new ProblemException(400, "Bad Request", e.first().toString(), e.first().field(), errors, null));
  }

  static void json(Context ctx, int status, Object body) {
    try {
      ctx.status(status).contentType("application/json").result(JSON.writeValueAsString(body));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("maps and lists of strings and numbers always serialize", e);
    }
  }

  /** The 202 body: where each event went. */
  static Map<String, Object> accepted(List<Published> published) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("events", published.stream().map(p -> {
      Map<String, Object> event = new LinkedHashMap<>();
      event.put("id", p.eventId().toString());
      event.put("incidentId", p.incidentId().toString());
      event.put("partition", p.partition());
      event.put("offset", p.offset());
      return event;
    }).toList());
    return body;
  }
}
