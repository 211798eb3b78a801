package dev.quorum.store;

import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The outcome of every delivered event of a batch, in the batch's order. A store may leave them to be worked out
 * on first use ({@link #deferred}): the transaction is over by then, and the thread that holds the transactions need
 * not build them.
 */
public final class AppendResult {
  private Supplier<List<Outcome>> pending;
  private List<Outcome> outcomes;

  public AppendResult(List<Outcome> outcomes) {
    this.outcomes = List.copyOf(outcomes);
  }

  private AppendResult(Supplier<List<Outcome>> pending) {
    this.pending = Objects.requireNonNull(pending, "pending");
  }

  /** A result whose outcomes {@code outcomes} works out on first use, once, on the thread that asks first. */
  public static AppendResult deferred(Supplier<List<Outcome>> outcomes) {
    return new AppendResult(outcomes);
  }

  public synchronized List<Outcome> outcomes() {
    if (outcomes == null) {
      outcomes = List.copyOf(pending.get());
      pending = null;
    }
    return outcomes;
  }

  public List<Outcome.Inserted> inserted() {
    return only(Outcome.Inserted.class);
  }

  public List<Outcome.Duplicate> duplicates() {
    return only(Outcome.Duplicate.class);
  }

  public List<Outcome.Conflict> conflicts() {
    return only(Outcome.Conflict.class);
  }

  private <T extends Outcome> List<T> only(Class<T> kind) {
    return outcomes().stream().filter(kind::isInstance).map(kind::cast).toList();
  }

  @Override
  public String toString() {
    return "AppendResult" + outcomes();
  }
}
