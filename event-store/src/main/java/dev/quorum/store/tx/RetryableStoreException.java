package dev.quorum.store.tx;

/**
 * A condition found by the store itself that a fresh attempt of the whole transaction resolves: a
 * batch whose ids are not all accounted for, or a transaction that outlived its time cap.
 */
public class RetryableStoreException extends RuntimeException {
  public RetryableStoreException(String message) {
    super(message);
  }
}
