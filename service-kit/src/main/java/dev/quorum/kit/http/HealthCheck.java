package dev.quorum.kit.http;

/** One named readiness condition of a service (the broker is reachable, the stores are restored...). */
@FunctionalInterface
public interface HealthCheck {
  Result check();

  /** Whether the condition holds, and a short detail for operators. */
  record Result(boolean up, String detail) {
    public static Result up(String detail) {
      return new Result(true, detail);
    }

    public static Result down(String detail) {
      return new Result(false, detail);
    }
  }
}
