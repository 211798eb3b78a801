package dev.quorum.ingest.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quorum.ingest.InvalidInput;
import dev.quorum.ingest.JsonFields;
import dev.quorum.ingest.pagerduty.PagerDutyEvent;
import dev.quorum.ingest.pagerduty.PagerDutyEvent.Translation;
import dev.quorum.kit.http.BearerAuth;
import dev.quorum.kit.http.Principal;
import dev.quorum.kit.http.ProblemException;
import io.javalin.http.Context;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * {@code POST /v1/integrations/pagerduty}: the PagerDuty Events API v2, answered with PagerDuty's own
 * bodies. A sender that cannot set headers (most monitoring tools) may authenticate with its
 * {@code routing_key}, which is then a client token like any other (stored hashed). Either way the client
 * needs the {@code pagerduty} scope, which opens this route and no other.
 */
final class PagerDutyEndpoint {
  static final String PATH = "/v1/integrations/pagerduty";

  private final BearerAuth auth;
  private final Delivery delivery;
  private final Clock clock;

  PagerDutyEndpoint(BearerAuth auth, Delivery delivery, Clock clock) {
    this.auth = auth;
    this.delivery = delivery;
    this.clock = clock;
  }

  /** A public route to the server: it authenticates itself, by header or by routing key. */
  void handle(Context ctx) {
    Principal principal = ctx.header("Authorization") != null ? auth.authenticate(ctx, null) : null;
    byte[] body = Requests.body(ctx);
    if (principal == null) principal = byRoutingKey(body);
    principal.require(GatewayRoutes.PAGERDUTY_SCOPE);
    Translation translation;
    try {
      translation = PagerDutyEvent.translate(body, Requests.caller(principal), clock.instant(), PagerDutyEndpoint::newDedupKey);
    } catch (InvalidInput e) {
      Requests.json(ctx, 400, invalid(e));
      return;
    }
    delivery.publish(PATH, List.of(translation.event()));
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("status", "success");
    answer.put("message", "Event processed");
    answer.put("dedup_key", translation.dedupKey());
    Requests.json(ctx, 202, answer);
  }

  /** The client whose token is the body's routing key: without a readable routing key there are no credentials. */
  private Principal byRoutingKey(byte[] body) {
    JsonNode routingKey = null;
    try {
      JsonNode tree = JsonFields.parse(body);
      routingKey = tree.isObject() ? tree.get("routing_key") : null;
    } catch (InvalidInput e) {
      // unreadable: no credentials either
    }
    Principal principal = routingKey != null && routingKey.isTextual() ? auth.principal("Bearer " + routingKey.textValue()) : null;
    if (principal == null) {
      throw ProblemException.unauthorized("send a bearer token, or a routing_key that is a client token");
    }
    return principal;
  }

  /** PagerDuty's 400 body: every invalid field, in its own words where it has them. */
  static Map<String, Object> invalid(InvalidInput e) {
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("status", "invalid event");
    answer.put("message", "Event object is invalid");
    answer.put("errors", e.violations().stream()
        .map(v -> v.field().isEmpty() ? "the body " + v.reason() : "'" + v.field() + "' " + v.reason())
        .toList());
    return answer;
  }

  /** A dedup key like the ones PagerDuty generates: 32 hex digits. */
  private static String newDedupKey() {
    return UUID.randomUUID().toString().replace("-", "");
  }
}
