package dev.quorum.projection.http;

/** An answer other than 200, raised where it is found and rendered as a problem body in one place. */
final class ApiException extends RuntimeException {
  final int status;
  final String title;
  final String field;
  final Integer retryAfterSeconds;

  private ApiException(int status, String title, String detail, String field, Integer retryAfterSeconds) {
    super(detail);
    this.status = status;
    this.title = title;
    this.field = field;
    this.retryAfterSeconds = retryAfterSeconds;
  }

  static ApiException badRequest(String field, String detail) {
    return new ApiException(400, "Bad request", detail, field, null);
  }

  static ApiException unauthorized() {
    return new ApiException(401, "Unauthorized", "a valid bearer token is required", null, null);
  }

  static ApiException notFound(String detail) {
    return new ApiException(404, "Not found", detail, null, null);
  }

  static ApiException unavailable(String detail) {
    return new ApiException(503, "Service unavailable", detail, null, 1);
  }
}
