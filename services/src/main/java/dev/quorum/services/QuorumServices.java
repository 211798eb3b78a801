package dev.quorum.services;

import java.util.Arrays;
import java.util.Locale;

/**
 * The services' command, what the image runs: one subcommand per component and the operators'
 * tools. The developer launcher ({@code quorum up}, {@code quorum demo}) adds a local Kafka and
 * PostgreSQL on top of this; this jar carries neither.
 */
public final class QuorumServices {
  private QuorumServices() {}

  static final String COMMANDS = """
        gateway       the HTTP gateway            [--config FILE]
        writer        the database writer         [--config FILE]
        dlq           dead letters: list | show | redrive      (quorum dlq --help)
        projection    the projection: run | rebuild | replay   (quorum projection --help)
        war-room      the web war room            [--config FILE]
        publish       publish events from the command line     (quorum publish --help)
        hash-token    print the hash of a client token (read from standard input only) for the configuration
      """;

  static final String FOOTER = """

      Configuration comes from --config FILE (or QUORUM_CONFIG), QUORUM_* environment variables
      and -D system properties; each module's README lists its keys.
      """;

  public static void main(String[] args) throws Exception {
    if (args.length == 0 || isHelp(args[0])) {
      System.out.print(usage(""));
      System.exit(args.length == 0 ? 2 : 0);
    }
    if (!run(args)) {
      System.err.println("quorum: unknown command " + args[0] + "\n");
      System.err.print(usage(""));
      System.exit(2);
    }
  }

  /** The usage text, with {@code more} commands (the launcher's) listed first. */
  public static String usage(String more) {
    return "Usage: quorum <command> [options]\n\n" + more + COMMANDS + FOOTER;
  }

  public static boolean isHelp(String arg) {
    return arg.equals("--help") || arg.equals("-h") || arg.equals("help");
  }

  /** Runs a service command; false when {@code args[0]} names none. */
  public static boolean run(String[] args) throws Exception {
    String[] rest = Arrays.copyOfRange(args, 1, args.length);
    switch (args[0].toLowerCase(Locale.ROOT)) {
      case "gateway" -> dev.quorum.ingest.config.GatewayMain.main(rest);
      case "writer" -> dev.quorum.writer.config.WriterMain.main(rest);
      case "dlq" -> dev.quorum.writer.cli.DlqCommand.main(rest);
      case "projection" -> dev.quorum.projection.cli.ProjectionCli.main(rest);
      case "war-room" -> dev.quorum.warroom.config.WarRoomMain.main(rest);
      case "publish" -> dev.quorum.ingest.cli.PublishCommand.main(rest);
      case "hash-token" -> dev.quorum.kit.http.TokenHasher.main(rest);
      default -> {
        return false;
      }
    }
    return true;
  }
}
