package dev.quorum.projection.http;

import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Map;

/** Renders an {@link ApiException} as an RFC 9457 problem body. */
final class Problems {
  private Problems() {}

  static void write(Context ctx, ApiException e) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("type", "about:blank");
    body.put("title", e.title);
    body.put("status", e.status);
    body.put("detail", e.getMessage());
    if (e.field != null) body.put("field", e.field);
    if (e.retryAfterSeconds != null) ctx.header("Retry-After", String.valueOf(e.retryAfterSeconds));
    ctx.status(e.status).json(body).contentType("application/problem+json");
  }
}
