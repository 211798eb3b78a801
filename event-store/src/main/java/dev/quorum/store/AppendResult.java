package dev.quorum.store;

import java.util.List;

/** The outcome of every delivered event of a batch, in the batch's order. */
public record AppendResult(List<Outcome> outcomes) {
  public AppendResult {
    outcomes = List.copyOf(outcomes);
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
    return outcomes.stream().filter(kind::isInstance).map(kind::cast).toList();
  }
}
