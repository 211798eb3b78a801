package dev.quorum.ingest.slack;

import dev.quorum.event.Event;
import dev.quorum.event.EventData;
import dev.quorum.event.EventData.IncidentAcknowledged;
import dev.quorum.event.EventData.IncidentClosed;
import dev.quorum.event.EventData.IncidentMitigated;
import dev.quorum.event.EventData.IncidentReopened;
import dev.quorum.event.EventData.IncidentResolved;
import dev.quorum.event.EventData.IncidentTriggered;
import dev.quorum.event.EventData.IncidentUnacknowledged;
import dev.quorum.event.EventData.NoteAdded;
import dev.quorum.event.EventData.ResponderAssigned;
import dev.quorum.event.EventData.ResponderUnassigned;
import dev.quorum.event.EventData.RoleAssigned;
import dev.quorum.event.EventData.SeverityChanged;
import dev.quorum.event.EventData.UnackReason;
import dev.quorum.event.Ids;
import dev.quorum.event.Limits;
import dev.quorum.event.Role;
import dev.quorum.event.Severity;
import dev.quorum.ingest.Texts;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Interprets {@code /incident} slash commands: actions become events of the catalogue (ids derived from
 * Slack's trigger id and the event's index in the command), everything else an ephemeral answer.
 */
public final class SlackCommands {
  /** The id tag of this integration. */
  public static final String TAG = "slack";
  private static final Pattern UUID_TEXT =
      Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
  /** An escaped user mention, {@code <@U123ABC>} or {@code <@U123ABC|alice>}. */
  private static final Pattern MENTION = Pattern.compile("<@([A-Z0-9]{2,32})(?:\\|[^>]*)?>");
  private static final Pattern WORD = Pattern.compile("\\S+");
  private static final Pattern PLAIN_NAME = Pattern.compile("@?([\\p{L}\\p{N}._-]{1,80})");

  /** What the gateway does with a command. */
  public sealed interface Outcome {
    /** Publish these events; once Kafka acknowledged them, apply the binding (if any) and post the confirmation in the channel. */
    record Publish(List<Event> events, String confirmation, Binding bindOnSuccess) implements Outcome {
      public Publish {
        events = List.copyOf(events);
        if (events.isEmpty()) throw new IllegalArgumentException("a publish outcome has at least one event");
      }
    }

    /** Publish nothing; show this text to the user alone. */
    record Answer(String text) implements Outcome {}
  }

  /** A channel binding to make once the events it names are recorded. */
  public record Binding(String teamId, String channelId, UUID incidentId) {}

  private final ChannelBindings bindings;

  public SlackCommands(ChannelBindings bindings) {
    this.bindings = bindings;
  }

  /**
   * Interprets one command.
   *
   * @param command the verified command
   * @param requestTime Slack's signed request timestamp: the events' time, so that a re-sent request
   *     yields the same content as well as the same ids
   */
  public Outcome interpret(SlashCommand command, Instant requestTime) {
    String text = unescape(command.text()).strip();
    List<Word> words = words(text);
    if (words.isEmpty()) return new Outcome.Answer(help(command.command()));
    String verb = words.getFirst().text().toLowerCase(Locale.ROOT);
    List<Word> rest = words.subList(1, words.size());
    Request request = new Request(command, text, requestTime);
    return switch (verb) {
      case "help" -> new Outcome.Answer(help(command.command()));
      case "bind" -> bind(request, rest);
      case "unbind" -> unbind(command);
      case "status" -> status(request, rest);
      case "declare" -> declare(request, rest);
      case "ack" -> simple(request, rest, verb, "acknowledged", args -> new IncidentAcknowledged());
      case "unack" -> simple(request, rest, verb, "withdrew the acknowledgement of",
          args -> new IncidentUnacknowledged(UnackReason.USER));
      case "mitigate" -> simple(request, rest, verb, "mitigated", args -> new IncidentMitigated(request.freeText(args)));
      case "resolve" -> simple(request, rest, verb, "resolved", args -> new IncidentResolved(request.freeText(args)));
      case "reopen" -> simple(request, rest, verb, "reopened", args -> new IncidentReopened(request.freeText(args)));
      case "close" -> simple(request, rest, verb, "closed", args -> new IncidentClosed());
      case "note" -> note(request, rest);
      case "assign" -> responders(request, rest, true);
      case "unassign" -> responders(request, rest, false);
      case "role" -> role(request, rest);
      case "severity" -> severity(request, rest);
      default -> new Outcome.Answer("I do not know `" + Texts.clip(verb, 40) + "`.\n" + help(command.command()));
    };
  }

  /** One word of a command's text and where it starts, so that free text keeps its line breaks. */
  private record Word(String text, int start) {}

  /** The parts of a request every action needs. */
  private record Request(SlashCommand command, String text, Instant time) {
    /** The text from the first of {@code args} to the end, or null if there are none; clipped to the catalogue's limit. */
    String freeText(List<Word> args) {
      return args.isEmpty() ? null : Texts.clip(text.substring(args.getFirst().start()).strip(), Limits.LONG_TEXT);
    }

    String source() {
      return "slack/" + command.teamId();
    }

    String actor() {
      return "user:slack/" + command.userId();
    }

    Event event(int index, UUID incidentId, EventData data) {
      UUID id = Ids.derived(TAG, command.triggerId(), Integer.toString(index));
      return Event.of(id, source(), incidentId, time, actor(), data);
    }

    String who() {
      return "<@" + command.userId() + ">";
    }
  }

  /** The incident a command acts on, and the words after its id. */
  private record Target(UUID incidentId, List<Word> args) {}

  private Optional<Target> target(Request request, List<Word> rest) {
    if (!rest.isEmpty() && UUID_TEXT.matcher(rest.getFirst().text()).matches()) {
      return Optional.of(new Target(UUID.fromString(rest.getFirst().text()), rest.subList(1, rest.size())));
    }
    return bindings.lookup(request.command().teamId(), request.command().channelId())
        .map(bound -> new Target(bound, rest));
  }

  private static Outcome noTarget(Request request, String verb) {
    String name = request.command().command();
    return new Outcome.Answer("Which incident? Name it (`" + name + " " + verb + " <incident-id>`) or bind this channel to one first (`"
        + name + " bind <incident-id>`).");
  }

  private Outcome simple(Request request, List<Word> rest, String verb, String pastTense, Function<List<Word>, EventData> data) {
    return target(request, rest)
        .<Outcome>map(t -> publish(request.who() + " " + pastTense + " incident `" + t.incidentId() + "`",
            request.event(0, t.incidentId(), data.apply(t.args()))))
        .orElseGet(() -> noTarget(request, verb));
  }

  private Outcome note(Request request, List<Word> rest) {
    Optional<Target> target = target(request, rest);
    if (target.isEmpty()) return noTarget(request, "note");
    String text = request.freeText(target.get().args());
    if (text == null) return new Outcome.Answer("A note needs some text: `" + request.command().command() + " note <text>`.");
    return publish(request.who() + " added a note to incident `" + target.get().incidentId() + "`",
        request.event(0, target.get().incidentId(), new NoteAdded(text)));
  }

  private Outcome responders(Request request, List<Word> rest, boolean assign) {
    String verb = assign ? "assign" : "unassign";
    Optional<Target> target = target(request, rest);
    if (target.isEmpty()) return noTarget(request, verb);
    List<String> args = texts(target.get().args());
    if (args.isEmpty()) return new Outcome.Answer("Whom? `" + request.command().command() + " " + verb + " @someone`.");
    List<Event> events = new ArrayList<>();
    for (String word : args) {
      Optional<String> responder = responder(word);
      if (responder.isEmpty()) return new Outcome.Answer("`" + Texts.clip(word, 80) + "` is not a Slack user.");
      EventData data = assign ? new ResponderAssigned(responder.get()) : new ResponderUnassigned(responder.get());
      events.add(request.event(events.size(), target.get().incidentId(), data));
    }
    return new Outcome.Publish(events,
        request.who() + " " + verb + "ed " + String.join(", ", args) + " " + (assign ? "to" : "from") + " incident `"
            + target.get().incidentId() + "`", null);
  }

  private Outcome role(Request request, List<Word> rest) {
    Optional<Target> target = target(request, rest);
    if (target.isEmpty()) return noTarget(request, "role");
    List<String> args = texts(target.get().args());
    Optional<Role> role = args.isEmpty() ? Optional.empty() : enumValue(Role.class, args.getFirst());
    Optional<String> responder = args.size() == 2 ? responder(args.get(1)) : Optional.empty();
    if (role.isEmpty() || responder.isEmpty()) {
      return new Outcome.Answer("Usage: `" + request.command().command() + " role <commander|scribe|comms> @someone`.");
    }
    return publish(request.who() + " made " + args.get(1) + " " + role.get().wire() + " of incident `" + target.get().incidentId() + "`",
        request.event(0, target.get().incidentId(), new RoleAssigned(role.get(), responder.get())));
  }

  private Outcome severity(Request request, List<Word> rest) {
    Optional<Target> target = target(request, rest);
    if (target.isEmpty()) return noTarget(request, "severity");
    List<String> args = texts(target.get().args());
    Optional<Severity> severity = args.size() == 1 ? severity(args.getFirst()) : Optional.empty();
    if (severity.isEmpty()) {
      return new Outcome.Answer("Usage: `" + request.command().command()
          + " severity <critical|error|warning|info>` (or sev1 to sev4).");
    }
    return publish(request.who() + " set the severity of incident `" + target.get().incidentId() + "` to " + severity.get().wire(),
        request.event(0, target.get().incidentId(), new SeverityChanged(severity.get())));
  }

  private Outcome declare(Request request, List<Word> rest) {
    String title = rest.isEmpty() ? null : Texts.clip(String.join(" ", texts(rest)), Limits.TITLE);
    if (title == null) return new Outcome.Answer("A new incident needs a title: `" + request.command().command() + " declare <title>`.");
    // the incident id derives from the trigger id alone: one field, so it cannot equal an event id (two fields)
    UUID incidentId = Ids.derived(TAG, request.command().triggerId());
    SlashCommand command = request.command();
    return new Outcome.Publish(
        List.of(request.event(0, incidentId, new IncidentTriggered(title, null, null, null))),
        request.who() + " declared incident `" + incidentId + "`: " + title + "\nThis channel is now bound to it.",
        new Binding(command.teamId(), command.channelId(), incidentId));
  }

  private Outcome bind(Request request, List<Word> rest) {
    if (rest.size() != 1 || !UUID_TEXT.matcher(rest.getFirst().text()).matches()) {
      return new Outcome.Answer("Usage: `" + request.command().command() + " bind <incident-id>`.");
    }
    UUID incidentId = UUID.fromString(rest.getFirst().text());
    bindings.bind(request.command().teamId(), request.command().channelId(), incidentId);
    return new Outcome.Answer("This channel is now bound to incident `" + incidentId
        + "`: commands typed here act on it unless they name another one.");
  }

  private Outcome unbind(SlashCommand command) {
    return new Outcome.Answer(bindings.unbind(command.teamId(), command.channelId())
        ? "This channel is no longer bound to an incident."
        : "This channel was not bound to an incident.");
  }

  private Outcome status(Request request, List<Word> rest) {
    Optional<Target> target = target(request, rest);
    String which = target.map(t -> "Incident `" + t.incidentId() + "`" + (rest.isEmpty() ? " (bound to this channel)" : ""))
        .orElse("No incident is named, and this channel is not bound to one.");
    return new Outcome.Answer(which + "\nThis endpoint records actions and keeps no incident state: "
        + "the projection service answers status (`GET /v1/incidents/<incident-id>`).");
  }

  private static Outcome publish(String confirmation, Event event) {
    return new Outcome.Publish(List.of(event), confirmation, null);
  }

  /** The user an argument names: an escaped mention (Slack id) or, without escaping, a plain name. */
  static Optional<String> responder(String word) {
    Matcher mention = MENTION.matcher(word);
    if (mention.matches()) return Optional.of("user:slack/" + mention.group(1));
    Matcher plain = PLAIN_NAME.matcher(word);
    if (plain.matches()) return Optional.of("user:" + plain.group(1));
    return Optional.empty();
  }

  private static Optional<Severity> severity(String word) {
    return switch (word.toLowerCase(Locale.ROOT)) {
      case "sev1", "p1" -> Optional.of(Severity.CRITICAL);
      case "sev2", "p2" -> Optional.of(Severity.ERROR);
      case "sev3", "p3" -> Optional.of(Severity.WARNING);
      case "sev4", "p4" -> Optional.of(Severity.INFO);
      default -> enumValue(Severity.class, word);
    };
  }

  private static <E extends Enum<E>> Optional<E> enumValue(Class<E> type, String word) {
    return Arrays.stream(type.getEnumConstants()).filter(c -> c.name().equalsIgnoreCase(word)).findFirst();
  }

  private static List<Word> words(String text) {
    List<Word> words = new ArrayList<>();
    Matcher word = WORD.matcher(text);
    while (word.find()) words.add(new Word(word.group(), word.start()));
    return words;
  }

  private static List<String> texts(List<Word> words) {
    return words.stream().map(Word::text).toList();
  }

  /** Slack escapes these three in the text it sends; the record keeps what the user typed. */
  private static String unescape(String text) {
    return text == null ? "" : text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&");
  }

  static String help(String command) {
    String c = command == null || command.isBlank() ? "/incident" : command;
    return String.join("\n",
        "*Incident commands* (name the incident by id, or bind the channel to it once):",
        "`" + c + " declare <title>`: open a new incident and bind this channel to it",
        "`" + c + " bind <incident-id>` / `" + c + " unbind`: set which incident this channel acts on",
        "`" + c + " ack | unack | close [<incident-id>]`",
        "`" + c + " mitigate | resolve | reopen [<incident-id>] [text]`",
        "`" + c + " note [<incident-id>] <text>`",
        "`" + c + " assign | unassign [<incident-id>] @someone ...`",
        "`" + c + " role [<incident-id>] <commander|scribe|comms> @someone`",
        "`" + c + " severity [<incident-id>] <critical|error|warning|info>`",
        "`" + c + " status [<incident-id>]`");
  }
}
