package dev.quorum.launcher;

import java.util.Arrays;
import java.util.Locale;

/**
 * The {@code quorum} command: {@code up} runs the whole pipeline in one JVM on a local Kafka and
 * PostgreSQL; every other subcommand runs one component with its own options.
 */
public final class Quorum {
  private Quorum() {}

  static final String USAGE = """
      Usage: quorum <command> [options]

        up            the whole pipeline in one JVM: a local Kafka (KRaft) and PostgreSQL, the writer,
                      the HTTP gateway and the projection (quorum up --help)
        gateway       the HTTP gateway            [--config FILE]
        writer        the database writer         [--config FILE]
        dlq           dead letters: list | show | redrive      (quorum dlq --help)
        projection    the projection: run | rebuild | replay   (quorum projection --help)
        publish       publish events from the command line     (quorum publish --help)
        hash-token    print the hash of a client token (read from stdin) for the configuration

      Configuration comes from --config FILE (or QUORUM_CONFIG), QUORUM_* environment variables
      and -D system properties; each module's README lists its keys.
      """;

  public static void main(String[] args) throws Exception {
    if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h") || args[0].equals("help")) {
      System.out.print(USAGE);
      System.exit(args.length == 0 ? 2 : 0);
    }
    String[] rest = Arrays.copyOfRange(args, 1, args.length);
    switch (args[0].toLowerCase(Locale.ROOT)) {
      case "up" -> System.exit(Up.run(rest));
      case "gateway" -> dev.quorum.ingest.config.GatewayMain.main(rest);
      case "writer" -> dev.quorum.writer.config.WriterMain.main(rest);
      case "dlq" -> dev.quorum.writer.cli.DlqCommand.main(rest);
      case "projection" -> dev.quorum.projection.cli.ProjectionCli.main(rest);
      case "publish" -> dev.quorum.ingest.cli.PublishCommand.main(rest);
      case "hash-token" -> dev.quorum.kit.http.TokenHasher.main(rest);
      default -> {
        System.err.println("quorum: unknown command " + args[0] + "\n");
        System.err.print(USAGE);
        System.exit(2);
      }
    }
  }
}
