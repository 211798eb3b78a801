package dev.quorum.writer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.quorum.stack.Loopback;
import dev.quorum.stack.PostgresDatabase;
import dev.quorum.stack.junit.WithPostgres;
import dev.quorum.stack.kafka.EmbeddedKafka;
import dev.quorum.store.testing.TestEvents;
import dev.quorum.writer.config.WriterService;
import dev.quorum.writer.kafka.KafkaWriter;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/**
 * A Kafka commit that times out (as in a broker failover) and lands afterwards: a broker of its own,
 * reached only through a proxy that holds the first EndTxn request longer than the writer's
 * {@code max.block.ms}, then forwards it.
 */
@WithPostgres
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class WriterCommitTimeoutIT {
  private static final Duration PROCESSED = Duration.ofSeconds(60);
  private static final short END_TXN = 26;
  private static final Duration MAX_BLOCK = Duration.ofSeconds(2);
  private static final Duration HOLD = Duration.ofSeconds(4);

  private final PostgresDatabase database;
  private final ExecutorService pumps = Executors.newCachedThreadPool(r -> {
    Thread thread = new Thread(r, "end-txn-proxy");
    thread.setDaemon(true);
    return thread;
  });
  private final AtomicBoolean holdNextEndTxn = new AtomicBoolean();
  private final AtomicInteger heldEndTxns = new AtomicInteger();
  private ServerSocket proxy;
  private EmbeddedKafka kafka;
  private WriterHarness harness;

  WriterCommitTimeoutIT(PostgresDatabase database) {
    this.database = database;
  }

  @AfterEach
  void tear_down() throws IOException {
    if (harness != null) harness.close();
    if (kafka != null) kafka.close();
    if (proxy != null) proxy.close();
    pumps.shutdownNow();
  }

  @Test
  void a_commit_that_times_out_is_committed_again_and_nothing_is_lost_or_doubled() throws Exception {
    // Given a broker whose clients all go through the proxy, and a writer that has written a first batch
    proxy = new ServerSocket(0, 50, InetAddress.getByName(Loopback.HOST));
    int proxyPort = proxy.getLocalPort();
    kafka = EmbeddedKafka.builder()
        .brokerConfig("advertised.listeners", "PLAINTEXT://" + Loopback.HOST + ":" + proxyPort)
        .build();
    pumps.submit(() -> accept(kafka));
    kafka.start();
    harness = new WriterHarness(kafka, database, 1);
    WriterService writer = harness.startWriter("0", Map.of(
        "kafka.client.max.block.ms", Long.toString(MAX_BLOCK.toMillis()),
        "writer.kafka.transaction.timeout", "60s"));
    for (int i = 0; i < 5; i++) harness.send(TestEvents.note(UUID.randomUUID(), "before " + i));
    harness.awaitAllProcessed(PROCESSED);

    // When the next commit's EndTxn is held past max.block.ms, then delivered
    holdNextEndTxn.set(true);
    for (int i = 0; i < 5; i++) harness.send(TestEvents.note(UUID.randomUUID(), "held " + i));
    harness.awaitAllProcessed(PROCESSED);

    // Then the writer committed again instead of aborting, kept running, and everything is there once
    assertThat(heldEndTxns).hasValue(1);
    assertThat(writer.writer().stats().commitRetries()).isPositive();
    assertThat(writer.writer().state()).isEqualTo(KafkaWriter.State.RUNNING);
    assertThat(writer.writer().stats().kafkaAborts()).isZero();
    ExactSet.Summary summary = ExactSet.verify(harness);
    assertThat(summary.stored()).isEqualTo(10);
    assertThat(summary.committed()).isEqualTo(10);
  }

  private void accept(EmbeddedKafka broker) {
    while (!proxy.isClosed()) {
      try {
        Socket client = proxy.accept();
        Socket server = new Socket(Loopback.HOST, broker.port());
        pumps.submit(() -> requests(client, server));
        pumps.submit(() -> copy(server.getInputStream(), client.getOutputStream(), client, server));
      } catch (IOException e) {
        return;
      }
    }
  }

  /** Forwards requests frame by frame, holding the first EndTxn once armed. */
  private Void requests(Socket client, Socket server) throws IOException {
    try (client; server) {
      DataInputStream in = new DataInputStream(client.getInputStream());
      DataOutputStream out = new DataOutputStream(server.getOutputStream());
      while (true) {
        int size = in.readInt();
        byte[] frame = in.readNBytes(size);
        if (frame.length < size) return null;
        short apiKey = (short) (((frame[0] & 0xff) << 8) | (frame[1] & 0xff));
        if (apiKey == END_TXN && holdNextEndTxn.compareAndSet(true, false)) {
          heldEndTxns.incrementAndGet();
          try {
            Thread.sleep(HOLD.toMillis());
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
          }
        }
        out.writeInt(size);
        out.write(frame);
        out.flush();
      }
    } catch (IOException e) {
      return null;
    }
  }

  private static Void copy(InputStream in, OutputStream out, Socket a, Socket b) {
    try (a; b) {
      in.transferTo(out);
    } catch (IOException e) {
      // a side closed
    }
    return null;
  }
}
