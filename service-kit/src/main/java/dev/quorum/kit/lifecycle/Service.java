package dev.quorum.kit.lifecycle;

/**
 * A component with an explicit lifecycle: {@link #start()} returns once it is ready, {@link #close()}
 * is idempotent and releases what start acquired.
 */
public interface Service extends AutoCloseable {
  /** Starts the component and returns once it is ready (listening, connected, restored). */
  Service start() throws Exception;

  /** Stops the component; a second call does nothing. */
  @Override
  void close();
}
