package dev.quorum.warroom.domain;

/** An action the page asked for that cannot become an event: names the field and why. */
public final class InvalidAction extends RuntimeException {
  private final String field;

  public InvalidAction(String field, String reason) {
    super(reason);
    this.field = field;
  }

  public String field() {
    return field;
  }
}
