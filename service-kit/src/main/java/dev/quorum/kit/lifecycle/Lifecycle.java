package dev.quorum.kit.lifecycle;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The components of a running service, started in order and closed once in reverse order, from a
 * main's {@code try}-with-resources or from the JVM's shutdown hook, whichever comes first.
 */
public final class Lifecycle implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Lifecycle.class);

  private record Component(String name, AutoCloseable resource) {}

  private final String name;
  private final Deque<Component> components = new ArrayDeque<>();
  private final CountDownLatch closedLatch = new CountDownLatch(1);
  private Thread shutdownHook;
  private boolean closing;

  public Lifecycle(String name) {
    this.name = Objects.requireNonNull(name, "name");
  }

  /**
   * Starts a service and takes charge of closing it; a service whose start fails is closed at once
   * (it may have acquired part of what it needs) and the failure is rethrown.
   */
  public <S extends Service> S start(String componentName, S service) throws Exception {
    Objects.requireNonNull(service, "service");
    synchronized (this) {
      if (closing) throw new IllegalStateException(name + " is closing; not starting " + componentName);
    }
    try {
      service.start();
    } catch (Exception | Error e) {
      closeQuietly(componentName, service);
      throw e;
    }
    return add(componentName, service);
  }

  /** Takes charge of closing a resource that is already open (a pool, a producer, a registry). */
  public synchronized <R extends AutoCloseable> R add(String componentName, R resource) {
    Objects.requireNonNull(resource, "resource");
    if (closing) {
      closeQuietly(componentName, resource);
      throw new IllegalStateException(name + " is closing; closed " + componentName + " instead of adding it");
    }
    components.push(new Component(componentName, resource));
    return resource;
  }

  /**
   * Closes this lifecycle when the JVM shuts down (SIGTERM, Ctrl-C); an explicit {@link #close()}
   * first removes the hook again.
   */
  public synchronized Lifecycle closeOnShutdown() {
    if (shutdownHook == null && !closing) {
      shutdownHook = new Thread(this::close, name + "-shutdown");
      Runtime.getRuntime().addShutdownHook(shutdownHook);
    }
    return this;
  }

  /** Blocks until {@link #close()} has finished, e.g. a main's last line while the server threads serve. */
  public void awaitClosed() throws InterruptedException {
    closedLatch.await();
  }

  synchronized Thread shutdownHook() {
    return shutdownHook;
  }

  public synchronized boolean isClosed() {
    return closing;
  }

  /**
   * Closes every component in reverse order of start; a component that fails to close is logged and
   * the others are still closed. Calling it again does nothing.
   */
  @Override
  public void close() {
    Deque<Component> toClose;
    synchronized (this) {
      if (closing) return;
      closing = true;
      toClose = new ArrayDeque<>(components);
      components.clear();
      if (shutdownHook != null && Thread.currentThread() != shutdownHook) {
        try {
          Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException alreadyShuttingDown) {
          // the hook is running or about to: it finds this lifecycle closed
        }
      }
    }
    try {
      LOG.info("stopping {}", name);
      for (Component component : toClose) closeQuietly(component.name(), component.resource());
      LOG.info("stopped {}", name);
    } finally {
      closedLatch.countDown();
    }
  }

  private static void closeQuietly(String componentName, AutoCloseable resource) {
    try {
      resource.close();
    } catch (Exception e) {
      LOG.warn("closing {} failed; closing the others", componentName, e);
    }
  }
}
