package dev.quorum.ingest.slack;

import dev.quorum.ingest.InvalidInput;
import java.util.List;
import java.util.Map;

/**
 * The fields of a Slack slash-command request that Quorum uses, read from its (already verified)
 * form body.
 *
 * @param teamId the workspace: the events' source is {@code slack/<teamId>}
 * @param channelId where the command was typed: the key of a channel binding
 * @param userId the signed user id: the events' actor is {@code user:slack/<userId>}
 * @param command the command name, e.g. {@code /incident}
 * @param text what follows the command name
 * @param triggerId Slack's id of this invocation: event ids derive from it
 */
public record SlashCommand(String teamId, String channelId, String userId, String command, String text, String triggerId) {
  /** Slack's ids are short; anything longer is not from Slack. */
  private static final int MAX_ID = 128;
  /** Slack caps a command's text at 4,000 characters; allow some room for escaping. */
  private static final int MAX_TEXT = 8_000;

  /**
   * Reads the command from the form fields.
   *
   * @throws InvalidInput naming the first field that is missing or out of bounds
   */
  public static SlashCommand from(Map<String, List<String>> form) {
    return new SlashCommand(
        id(form, "team_id"),
        id(form, "channel_id"),
        id(form, "user_id"),
        field(form, "command", MAX_ID, true),
        field(form, "text", MAX_TEXT, false),
        id(form, "trigger_id"));
  }

  private static String id(Map<String, List<String>> form, String name) {
    String value = field(form, name, MAX_ID, true);
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c <= ' ' || c == '/' || c > '~') {
        throw new InvalidInput(name, "must be a Slack id (printable ASCII without spaces or slashes)");
      }
    }
    return value;
  }

  private static String field(Map<String, List<String>> form, String name, int max, boolean required) {
    List<String> values = form.get(name);
    String value = values == null || values.isEmpty() ? null : values.getFirst();
    if (value == null || value.isBlank()) {
      if (required) throw new InvalidInput(name, "is required");
      return "";
    }
    if (values.size() > 1) throw new InvalidInput(name, "appears more than once");
    if (value.length() > max) throw new InvalidInput(name, "is longer than " + max + " characters");
    return value;
  }
}
