package dev.quorum.warroom.http;

import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The war room's own pages, styles and scripts, read once from the classpath
 * ({@code dev/quorum/warroom/web/}): no CDN, no build step, nothing fetched at run time.
 */
public final class Assets {
  static final String ROOT = "dev/quorum/warroom/web/";
  /** Every file the pages use; a missing one fails the start, not a page. */
  static final List<String> FILES = List.of("board.html", "incident.html", "analytics.html", "signin.html",
      "app.css", "app.js", "board.js", "incident.js", "analytics.js", "signin.js");

  private final Map<String, byte[]> files = new LinkedHashMap<>();

  public Assets() {
    for (String name : FILES) {
      try (InputStream in = Assets.class.getClassLoader().getResourceAsStream(ROOT + name)) {
        if (in == null) throw new IllegalStateException(ROOT + name + " is missing from the classpath");
        files.put(name, in.readAllBytes());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /** Answers with {@code name}; false when there is no such file. */
  public boolean serve(Context ctx, String name) {
    byte[] body = files.get(name);
    if (body == null) return false;
    ctx.contentType(type(name).orElse("application/octet-stream")).header("Cache-Control", "no-cache").result(body);
    return true;
  }

  private static Optional<String> type(String name) {
    if (name.endsWith(".html")) return Optional.of("text/html; charset=utf-8");
    if (name.endsWith(".css")) return Optional.of("text/css; charset=utf-8");
    if (name.endsWith(".js")) return Optional.of("text/javascript; charset=utf-8");
    return Optional.empty();
  }
}
