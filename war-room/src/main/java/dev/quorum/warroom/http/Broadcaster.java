package dev.quorum.warroom.http;

import io.javalin.http.sse.SseClient;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The open pages' live update streams (server-sent events). Each stream has a bounded queue drained by
 * a thread of its own, so one slow browser never holds up the others or the change feed: a stream whose
 * queue is full is closed, and the page reconnects and reloads what it shows. At most {@code max}
 * streams are open at once.
 */
public final class Broadcaster implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Broadcaster.class);
  static final int QUEUE = 1_024;

  /** One message: the SSE event name and its JSON data. */
  public record Message(String event, String data) {}

  private static final Message CLOSE = new Message("", "");

  private final int max;
  private final Set<Stream> streams = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  public Broadcaster(int max) {
    this.max = max;
  }

  /** Whether one more stream may open now. */
  public boolean hasRoom() {
    return !closed && streams.size() < max;
  }

  public int size() {
    return streams.size();
  }

  /** Serves {@code client} until it goes away or falls too far behind. */
  public void open(SseClient client) {
    Stream stream = new Stream(client);
    if (closed || !reserve(stream)) {
      client.close();
      return;
    }
    client.onClose(stream::stop);
    client.keepAlive();
    client.sendEvent("ready", "{}");
    Thread.ofVirtual().name("war-room-stream").start(stream::drain);
  }

  private synchronized boolean reserve(Stream stream) {
    if (streams.size() >= max) return false;
    streams.add(stream);
    return true;
  }

  /** Hands a message to every open stream. */
  public void publish(String event, String data) {
    Message message = new Message(event, data);
    for (Stream stream : streams) stream.offer(message);
  }

  @Override
  public void close() {
    closed = true;
    for (Stream stream : streams) stream.stop();
  }

  private final class Stream {
    private final SseClient client;
    private final BlockingQueue<Message> queue = new ArrayBlockingQueue<>(QUEUE);

    Stream(SseClient client) {
      this.client = client;
    }

    void offer(Message message) {
      if (!queue.offer(message)) {
        LOG.info("a live update stream fell {} messages behind; closing it (the page reconnects)", QUEUE);
        stop();
      }
    }

    void stop() {
      if (streams.remove(this)) {
        queue.clear();
        queue.offer(CLOSE);
      }
    }

    void drain() {
      try {
        while (true) {
          Message message = queue.poll(15, TimeUnit.SECONDS);
          if (message == CLOSE || client.terminated()) break;
          if (message == null) client.sendComment("keep-alive");
          else client.sendEvent(message.event(), message.data());
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (RuntimeException e) {
        LOG.debug("a live update stream ended: {}", e.toString());
      } finally {
        streams.remove(this);
        client.close();
      }
    }
  }
}
