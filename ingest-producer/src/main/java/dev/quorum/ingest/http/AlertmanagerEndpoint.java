package dev.quorum.ingest.http;

import dev.quorum.ingest.alertmanager.AlertmanagerWebhook;
import dev.quorum.ingest.alertmanager.AlertmanagerWebhook.Translation;
import dev.quorum.ingest.kafka.Published;
import dev.quorum.kit.http.BearerAuth;
import io.javalin.http.Context;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code POST /v1/integrations/alertmanager}: Alertmanager's webhook, one event per alert. */
final class AlertmanagerEndpoint {
  static final String PATH = "/v1/integrations/alertmanager";
  private static final Logger LOG = LoggerFactory.getLogger(AlertmanagerEndpoint.class);

  private final Delivery delivery;
  private final GatewayMetrics metrics;
  private final Clock clock;

  AlertmanagerEndpoint(Delivery delivery, GatewayMetrics metrics, Clock clock) {
    this.delivery = delivery;
    this.metrics = metrics;
    this.clock = clock;
  }

  /** Behind the server's bearer authentication with the {@code alertmanager} scope. */
  void handle(Context ctx) {
    var caller = Requests.caller(BearerAuth.current(ctx));
    byte[] body = Requests.body(ctx);
    Translation translation = AlertmanagerWebhook.translate(body, caller, clock.instant());
    if (translation.truncatedAlerts() > 0) {
      // Alertmanager dropped these before sending (max_alerts): they are not in the record, say so loudly
      LOG.warn("Alertmanager webhook from {} left out {} alert(s) (max_alerts); only {} were published",
          caller.clientId(), translation.truncatedAlerts(), translation.events().size());
      metrics.truncatedAlerts(translation.truncatedAlerts());
    }
    List<Published> published = translation.events().isEmpty() ? List.of() : delivery.publish(PATH, translation.events());
    Map<String, Object> answer = Requests.accepted(published);
    answer.put("truncatedAlerts", translation.truncatedAlerts());
    Requests.json(ctx, 202, answer);
  }
}
