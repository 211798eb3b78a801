package dev.quorum.launcher;

import dev.quorum.export.cli.ExportCommand;
import dev.quorum.services.QuorumServices;
import java.util.Arrays;
import java.util.Locale;

/**
 * The developer's {@code quorum} command: {@code up} runs the whole pipeline in one JVM on a local
 * Kafka and PostgreSQL, {@code demo} drives an incident storm through a gateway; every other
 * subcommand is the services' own ({@link QuorumServices}), as the image runs them.
 */
public final class Quorum {
  private Quorum() {}

  static final String LAUNCHER_COMMANDS = """
        up            the whole pipeline in one JVM: a local Kafka (KRaft) and PostgreSQL, the writer,
                      the HTTP gateway and the projection (quorum up --help)
        demo          drive a realistic incident storm through a running gateway (quorum demo --help)
        export        incidents, episodes (MTTA/MTTR), timelines and analytics as Parquet and CSV, as of an
                      instant, from the event log (quorum export --help; default: the database of quorum up)
      """;

  public static void main(String[] args) throws Exception {
    if (args.length == 0 || QuorumServices.isHelp(args[0])) {
      System.out.print(QuorumServices.usage(LAUNCHER_COMMANDS));
      System.exit(args.length == 0 ? 2 : 0);
    }
    String[] rest = Arrays.copyOfRange(args, 1, args.length);
    if (args[0].equalsIgnoreCase("up") && System.getProperty("log4j2.configurationFile") == null) {
      // before anything logs: the components' logs go to a file, the console keeps progress and warnings
      System.setProperty("quorum.up.log", Up.logFile().toString());
      System.setProperty("log4j2.configurationFile", "quorum-up-log4j2.xml");
    }
    switch (args[0].toLowerCase(Locale.ROOT)) {
      case "up" -> System.exit(Up.run(rest));
      case "demo" -> System.exit(Demo.run(rest));
      case "export" -> System.exit(ExportCommand.run(rest, () -> UpDatabase.find(UpDatabase.directory())));
      default -> {
        if (!QuorumServices.run(args)) {
          System.err.println("quorum: unknown command " + args[0] + "\n");
          System.err.print(QuorumServices.usage(LAUNCHER_COMMANDS));
          System.exit(2);
        }
      }
    }
  }
}
