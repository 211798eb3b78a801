package dev.quorum.stack.regions;

import dev.quorum.stack.kafka.KafkaBrokerMain;

/**
 * Main class of MirrorMaker 2's child JVM: runs {@code org.apache.kafka.connect.mirror.MirrorMaker} with the
 * given arguments until SIGTERM, or halts once its parent is gone (standard input closes).
 */
public final class MirrorMakerMain {

    private MirrorMakerMain() {
    }

    public static void main(String[] args) throws Exception {
        Thread parentWatch = new Thread(KafkaBrokerMain::haltWhenParentIsGone, "parent-watch");
        parentWatch.setDaemon(true);
        parentWatch.start();
        org.apache.kafka.connect.mirror.MirrorMaker.main(args);
    }
}
