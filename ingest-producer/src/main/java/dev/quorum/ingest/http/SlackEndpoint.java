package dev.quorum.ingest.http;

import dev.quorum.event.codec.DecodeException;
import dev.quorum.ingest.InvalidInput;
import dev.quorum.ingest.kafka.Published;
import dev.quorum.ingest.slack.ChannelBindings;
import dev.quorum.ingest.slack.FormBody;
import dev.quorum.ingest.slack.SlackCommands;
import dev.quorum.ingest.slack.SlackCommands.Outcome;
import dev.quorum.ingest.slack.SlackSignature;
import dev.quorum.ingest.slack.SlashCommand;
import dev.quorum.kit.http.ProblemException;
import io.javalin.http.Context;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /v1/integrations/slack}: slash commands, verified with Slack's request signing. A verified
 * request always gets a 200 with a Slack message within Slack's 3 seconds, errors included (ephemeral);
 * a request that fails verification gets a 401 problem, since it is not from Slack.
 */
final class SlackEndpoint {
  static final String PATH = "/v1/integrations/slack";
  private static final Logger LOG = LoggerFactory.getLogger(SlackEndpoint.class);

  private final SlackSignature signature;
  private final SlackCommands commands;
  private final ChannelBindings bindings;
  private final Delivery delivery;
  private final GatewayMetrics metrics;
  private final Clock clock;
  private final Duration replyBudget;

  /**
   * @param signature null when no signing secret is configured: the route then answers 404
   * @param replyBudget how long to wait for Kafka before answering; under Slack's 3 s with room for the network
   */
  SlackEndpoint(SlackSignature signature, ChannelBindings bindings, Delivery delivery, GatewayMetrics metrics, Clock clock,
      Duration replyBudget) {
    this.signature = signature;
    this.commands = new SlackCommands(bindings);
    this.bindings = bindings;
    this.delivery = delivery;
    this.metrics = metrics;
    this.clock = clock;
    this.replyBudget = replyBudget;
  }

  /** A public route to the server: Slack authenticates by signing, not with a bearer token. */
  void handle(Context ctx) {
    if (signature == null) throw ProblemException.notFound("the Slack integration is not configured (no signing secret)");
    byte[] body = Requests.body(ctx);
    String timestamp = ctx.header(SlackSignature.TIMESTAMP_HEADER);
    SlackSignature.Verdict verdict = signature.verify(timestamp, ctx.header(SlackSignature.SIGNATURE_HEADER), body, clock.instant());
    if (verdict != SlackSignature.Verdict.VALID) {
      throw ProblemException.unauthorized("Slack request signing: " + verdict.description());
    }
    Instant signedAt = Instant.ofEpochSecond(Long.parseLong(timestamp));
    Reply reply;
    try {
      reply = answer(SlashCommand.from(FormBody.decode(body)), signedAt);
    } catch (InvalidInput e) {
      reply = Reply.ephemeral("failed", "This request could not be read: " + e.getMessage());
    } catch (RuntimeException e) {
      // a verified Slack request is answered, whatever happened
      LOG.error("Slack command failed", e);
      reply = Reply.ephemeral("failed", "Something went wrong on the incident gateway; the error is in its log. Nothing was recorded.");
    }
    metrics.slackReply(reply.kind());
    Map<String, Object> message = new LinkedHashMap<>();
    message.put("response_type", reply.inChannel() ? "in_channel" : "ephemeral");
    message.put("text", reply.text());
    Requests.json(ctx, 200, message);
  }

  /** Binds a channel; the events are recorded whatever happens here, so a failure is logged, not answered. */
  private void bind(SlackCommands.Binding binding) {
    try {
      bindings.bind(binding.teamId(), binding.channelId(), binding.incidentId());
    } catch (RuntimeException e) {
      LOG.warn("could not bind channel {}/{} to incident {}: {}", binding.teamId(), binding.channelId(), binding.incidentId(), e.toString());
    }
  }

  /** A Slack message and how to count it. */
  private record Reply(String kind, boolean inChannel, String text) {
    static Reply ephemeral(String kind, String text) {
      return new Reply(kind, false, text);
    }
  }

  private Reply answer(SlashCommand command, Instant signedAt) {
    return switch (commands.interpret(command, signedAt)) {
      case Outcome.Answer answer -> Reply.ephemeral("answered", answer.text());
      case Outcome.Publish publish -> publish(publish);
    };
  }

  private Reply publish(Outcome.Publish publish) {
    CompletableFuture<List<Published>> acknowledged = delivery.publishAsync(PATH, publish.events());
    SlackCommands.Binding binding = publish.bindOnSuccess();
    // bind once the incident exists in the record, even if that is after the reply was sent; the reply
    // waits for the binding, so that the user's next command already sees it
    CompletableFuture<?> done = binding == null ? acknowledged
        : acknowledged.thenRunAsync(() -> bind(binding)); // never on the producer's own thread: binding waits for Kafka too
    try {
      done.get(replyBudget.toMillis(), TimeUnit.MILLISECONDS);
      return new Reply("recorded", true, publish.confirmation());
    } catch (TimeoutException e) {
      return Reply.ephemeral("unconfirmed", "Not confirmed yet: the record did not acknowledge within " + replyBudget.toMillis()
          + " ms. It may still be recorded; check the incident's timeline before repeating the command.");
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof DecodeException invalid) {
        return Reply.ephemeral("failed", "That cannot be recorded: " + invalid.getMessage());
      }
      LOG.warn("Slack command not recorded: {}", cause.toString());
      return Reply.ephemeral("failed", "The incident record did not acknowledge (" + cause.getClass().getSimpleName()
          + "): most likely nothing was recorded. Please try again in a moment.");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Reply.ephemeral("failed", "The incident gateway is shutting down; please try again.");
    }
  }
}
