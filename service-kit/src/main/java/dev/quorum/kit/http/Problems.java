package dev.quorum.kit.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Map;

/** Writes {@link ProblemException}s as {@code application/problem+json} bodies (RFC 9457). */
public final class Problems {
  public static final String MEDIA_TYPE = "application/problem+json";
  private static final ObjectMapper JSON = new ObjectMapper();

  private Problems() {}

  public static void write(Context ctx, ProblemException problem) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("type", "about:blank");
    body.put("title", problem.title());
    body.put("status", problem.status());
    if (problem.detail() != null) body.put("detail", problem.detail());
    body.put("instance", ctx.path());
    if (problem.field() != null) body.put("field", problem.field());
    if (!problem.errors().isEmpty()) body.put("errors", problem.errors());
    if (problem.retryAfterSeconds() != null) ctx.header("Retry-After", String.valueOf(problem.retryAfterSeconds()));
    if (problem.status() == 401 && ctx.res().getHeader("WWW-Authenticate") == null) {
      ctx.header("WWW-Authenticate", "Bearer");
    }
    try {
      ctx.status(problem.status()).contentType(MEDIA_TYPE).result(JSON.writeValueAsString(body));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a map of strings always serializes", e);
    }
  }
}
