package dev.quorum.stack.kafka;

import dev.quorum.stack.Loopback;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * Broker settings for a single-node test cluster: replication factor 1 everywhere, and none of
 * the defaults that make fault tests slow (3 s initial rebalance delay, 50-partition internal
 * topics, 45 s minimum consumer session, 10 s sweep for timed-out transactions, 9 s broker
 * session that a restart after a crash waits out).
 */
public final class BrokerSettings {

    /** The node id of the single combined broker and controller. */
    public static final int NODE_ID = 1;

    private BrokerSettings() {
    }

    /** Settings that keep a single-node broker small and fault tests fast; used by every broker flavour. */
    public static Map<String, String> fastSingleNode() {
        Map<String, String> s = new LinkedHashMap<>();
        // one node: every internal topic has one replica
        s.put("offsets.topic.replication.factor", "1");
        s.put("transaction.state.log.replication.factor", "1");
        s.put("transaction.state.log.min.isr", "1");
        s.put("share.coordinator.state.topic.replication.factor", "1");
        s.put("share.coordinator.state.topic.min.isr", "1");
        s.put("default.replication.factor", "1");
        s.put("min.insync.replicas", "1");
        // internal topics default to 50 partitions: slow to create, slow to load after a restart
        s.put("offsets.topic.num.partitions", "1");
        s.put("transaction.state.log.num.partitions", "1");
        s.put("share.coordinator.state.topic.num.partitions", "1");
        // the first rebalance of a group waits 3 s by default
        s.put("group.initial.rebalance.delay.ms", "0");
        // let clients use short sessions, so a killed member is noticed in seconds (classic and KIP-848 groups)
        s.put("group.min.session.timeout.ms", "1000");
        s.put("group.consumer.min.session.timeout.ms", "1000");
        s.put("group.consumer.session.timeout.ms", "6000");
        s.put("group.consumer.min.heartbeat.interval.ms", "500");
        s.put("group.consumer.heartbeat.interval.ms", "1000");
        // after a crash the controller keeps the old broker registration until its session expires (default 9 s)
        s.put("broker.heartbeat.interval.ms", "500");
        s.put("broker.session.timeout.ms", "4000");
        // a transaction whose producer died is aborted soon after its transaction.timeout.ms
        s.put("transaction.abort.timed.out.transaction.cleanup.interval.ms", "1000");
        // fewer threads and a small cleaner buffer: the machine is shared with builds
        s.put("num.network.threads", "2");
        s.put("num.io.threads", "2");
        s.put("background.threads", "4");
        s.put("num.recovery.threads.per.data.dir", "1");
        s.put("log.cleaner.threads", "1");
        s.put("log.cleaner.dedupe.buffer.size", Integer.toString(16 * 1024 * 1024));
        s.put("auto.leader.rebalance.enable", "false");
        return s;
    }

    /** The full {@code server.properties} of a combined KRaft broker and controller listening on loopback only. */
    public static Properties serverProperties(int port, int controllerPort, Path logDir, Map<String, String> overrides) {
        Properties p = new Properties();
        String host = Loopback.HOST;
        p.setProperty("process.roles", "broker,controller");
        p.setProperty("node.id", Integer.toString(NODE_ID));
        p.setProperty("controller.quorum.bootstrap.servers", host + ":" + controllerPort);
        p.setProperty("listeners", "PLAINTEXT://" + host + ":" + port + ",CONTROLLER://" + host + ":" + controllerPort);
        p.setProperty("advertised.listeners", "PLAINTEXT://" + host + ":" + port + ",CONTROLLER://" + host + ":" + controllerPort);
        p.setProperty("controller.listener.names", "CONTROLLER");
        p.setProperty("inter.broker.listener.name", "PLAINTEXT");
        p.setProperty("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.setProperty("log.dirs", logDir.toAbsolutePath().toString());
        fastSingleNode().forEach(p::setProperty);
        overrides.forEach(p::setProperty);
        return p;
    }

    /**
     * The same settings as environment variables of the {@code apache/kafka} image, which maps
     * {@code KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS} to {@code group.initial.rebalance.delay.ms}.
     */
    public static Map<String, String> asContainerEnvironment(Map<String, String> settings) {
        Map<String, String> env = new LinkedHashMap<>();
        settings.forEach((key, value) -> {
            if (key.contains("_") || key.contains("-")) {
                throw new IllegalArgumentException("no container variable for '" + key + "'");
            }
            env.put("KAFKA_" + key.toUpperCase(Locale.ROOT).replace('.', '_'), value);
        });
        return env;
    }
}
