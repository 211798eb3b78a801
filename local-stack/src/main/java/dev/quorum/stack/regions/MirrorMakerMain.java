package dev.quorum.stack.regions;

import java.io.IOException;

/**
 * Main class of MirrorMaker 2's child JVM: runs {@code org.apache.kafka.connect.mirror.MirrorMaker} with the
 * given arguments until SIGTERM, or halts once its parent is gone (standard input closes).
 */
public final class MirrorMakerMain {

    private MirrorMakerMain() {
    }

    public static void main(String[] args) throws Exception {
        Thread parentWatch = new Thread(MirrorMakerMain::haltWhenParentIsGone, "parent-watch");
        parentWatch.setDaemon(true);
        parentWatch.start();
        org.apache.kafka.connect.mirror.MirrorMaker.main(args);
    }

    private static void haltWhenParentIsGone() {
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
