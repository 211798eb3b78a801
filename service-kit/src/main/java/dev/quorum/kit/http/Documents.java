package dev.quorum.kit.http;

import io.javalin.Javalin;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Optional;
import java.util.function.Function;

/**
 * Serves documents kept in the repository as they are, public: an API description, a catalogue of
 * schemas. They describe the service and hold no data, so a client generator or a schema registry
 * reads them without a token (on the ops port when the service has one, see {@link OpsServer.Builder#opsRoutes}).
 */
public final class Documents {
  private Documents() {}

  /** {@code GET path}: the document. */
  public static void serve(Javalin app, String path, String mediaType, byte[] document) {
    byte[] body = document.clone();
    app.get(path, ctx -> ctx.contentType(mediaType).result(body), Access.PUBLIC);
  }

  /**
   * {@code GET path}: the catalogue's index (JSON); {@code GET path/{name}}: one of its documents, or 404
   * naming it.
   */
  public static void catalogue(Javalin app, String path, byte[] index, Function<String, Optional<byte[]>> documents,
      String mediaType) {
    serve(app, path, "application/json", index);
    app.get(path + "/{name}", ctx -> {
      String name = ctx.pathParam("name");
      byte[] document = documents.apply(name)
          .orElseThrow(() -> ProblemException.notFound("no document " + name + " under " + path + "; " + path + " lists them"));
      ctx.contentType(mediaType).result(document);
    }, Access.PUBLIC);
  }

  /** A resource of {@code owner}'s class loader, which must exist: a document the build put there. */
  public static byte[] resource(Class<?> owner, String name) {
    try (InputStream in = owner.getClassLoader().getResourceAsStream(name)) {
      if (in == null) throw new IllegalStateException(name + " is missing from the classpath");
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
