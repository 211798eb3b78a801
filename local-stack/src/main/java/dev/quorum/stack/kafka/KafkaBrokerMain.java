package dev.quorum.stack.kafka;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.utils.Time;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Main class of the broker's child JVM: runs a formatted KRaft broker until SIGTERM (clean
 * shutdown) or until its parent is gone (standard input closes), so no broker outlives its test run.
 */
public final class KafkaBrokerMain {

    private KafkaBrokerMain() {
    }

    public static void main(String[] args) {
        if (args.length != 1) {
            System.err.println("usage: KafkaBrokerMain <server.properties>");
            System.exit(2);
        }
        KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(EmbeddedKafka.load(Path.of(args[0])), false), Time.SYSTEM);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.shutdown();
            server.awaitShutdown();
        }, "kafka-shutdown"));
        Thread parentWatch = new Thread(KafkaBrokerMain::haltWhenParentIsGone, "parent-watch");
        parentWatch.setDaemon(true);
        parentWatch.start();
        try {
            server.startup();
        } catch (RuntimeException e) {
            e.printStackTrace();
            Runtime.getRuntime().halt(1);
        }
        server.awaitShutdown();
    }

    /** Halts this JVM once standard input reaches its end: the parent that holds the pipe open is gone. */
    public static void haltWhenParentIsGone() {
        try {
            while (System.in.read() != -1) {
                // the parent never writes; it only holds the pipe open
            }
        } catch (IOException e) {
            // a broken pipe means the same as end-of-file
        }
        Runtime.getRuntime().halt(3);
    }
}
