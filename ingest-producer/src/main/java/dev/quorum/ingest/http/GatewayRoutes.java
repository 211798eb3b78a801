package dev.quorum.ingest.http;

import dev.quorum.event.Schemas;
import dev.quorum.event.codec.DecodeException;
import dev.quorum.ingest.InvalidInput;
import dev.quorum.ingest.slack.ChannelBindings;
import dev.quorum.ingest.slack.SlackSignature;
import dev.quorum.kit.http.Access;
import dev.quorum.kit.http.BearerAuth;
import dev.quorum.kit.http.Documents;
import io.javalin.Javalin;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * The gateway's routes on the service's HTTP server: {@code /v1/events}, the three integrations and
 * {@code /openapi.json}; the server itself ({@code service-kit}) adds {@code /metrics}, {@code /healthz},
 * {@code /readyz}, the size limit and problem bodies.
 */
public final class GatewayRoutes {
  /** Where the OpenAPI document lives on the classpath (and in the repository, under src/main/resources). */
  public static final String OPENAPI_RESOURCE = "openapi.json";
  /** Every route this class registers, for the OpenAPI check and for metrics tags. */
  public static final String ALERTMANAGER_PATH = AlertmanagerEndpoint.PATH;
  public static final List<String> PATHS = List.of(EventsEndpoint.PATH, AlertmanagerEndpoint.PATH, PagerDutyEndpoint.PATH,
      SlackEndpoint.PATH, "/openapi.json");
  /** The scope a client needs to publish any event on {@code /v1/events}. */
  public static final String PUBLISH_SCOPE = "publish";
  /**
   * The scope of the Alertmanager route alone: a monitoring tool's token publishes alert signals, it
   * cannot acknowledge, reassign or close incidents through {@code /v1/events}.
   */
  public static final String ALERTMANAGER_SCOPE = "alertmanager";
  /** The scope of the PagerDuty route alone, whether the client sends a token or its routing key. */
  public static final String PAGERDUTY_SCOPE = "pagerduty";
  private static final Set<String> PUBLISHING = Set.of(EventsEndpoint.PATH, AlertmanagerEndpoint.PATH, PagerDutyEndpoint.PATH,
      SlackEndpoint.PATH);

  private final EventsEndpoint events;
  private final AlertmanagerEndpoint alertmanager;
  private final PagerDutyEndpoint pagerDuty;
  private final SlackEndpoint slack;
  private final GatewayMetrics metrics;
  private final byte[] openApi;

  /** What the routes need to run. */
  public record Settings(int maxBatch, SlackSignature slackSignature, Duration slackReplyBudget) {}

  /**
   * @param auth the clients; the server authenticates the bearer-token routes with the same instance
   *     ({@code OpsServer.Builder.auth}), the PagerDuty route uses it for routing keys
   */
  public GatewayRoutes(Settings settings, BearerAuth auth, Delivery delivery, ChannelBindings bindings, GatewayMetrics metrics, Clock clock) {
    this.events = new EventsEndpoint(delivery, settings.maxBatch());
    this.alertmanager = new AlertmanagerEndpoint(delivery, metrics, clock);
    this.pagerDuty = new PagerDutyEndpoint(auth, delivery, clock);
    this.slack = new SlackEndpoint(settings.slackSignature(), bindings, delivery, metrics, clock, settings.slackReplyBudget());
    this.metrics = metrics;
    this.openApi = openApiDocument();
  }

  public void register(Javalin app) {
    app.post(EventsEndpoint.PATH, events::handle, Access.scope(PUBLISH_SCOPE));
    app.post(AlertmanagerEndpoint.PATH, alertmanager::handle, Access.scope(ALERTMANAGER_SCOPE));
    app.post(PagerDutyEndpoint.PATH, pagerDuty::handle, Access.PUBLIC);
    app.post(SlackEndpoint.PATH, slack::handle, Access.PUBLIC);
    app.exception(InvalidInput.class, (e, ctx) -> Requests.invalid(ctx, e));
    app.exception(DecodeException.class, (e, ctx) -> Requests.invalid(ctx, InvalidInput.from(e)));
    app.after(ctx -> {
      if (PUBLISHING.contains(ctx.path())) metrics.request(ctx.path(), ctx.statusCode());
    });
  }

  /**
   * The routes for operators, served on the ops port: the API description and the schemas of the records
   * (public: they describe the service and hold no data; the ops port is not the internet-facing one).
   */
  public void registerOps(Javalin app) {
    Documents.serve(app, "/openapi.json", "application/json", openApi);
    Documents.catalogue(app, "/schemas", Schemas.index(), Schemas::find, Schemas.MEDIA_TYPE);
  }

  /** The OpenAPI document kept in the repository. */
  public static byte[] openApiDocument() {
    return Documents.resource(GatewayRoutes.class, OPENAPI_RESOURCE);
  }
}
