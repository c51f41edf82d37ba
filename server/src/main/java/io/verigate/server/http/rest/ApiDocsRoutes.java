package io.verigate.server.http.rest;

import io.javalin.config.RoutesConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * Serves the OpenAPI 3.1 document of every route at {@code GET /api/docs}. The document is a hand-written
 * resource rather than generated, and {@code OpenApiContractTest} holds it to the real responses.
 */
public final class ApiDocsRoutes {
  public static final String RESOURCE = "/openapi/verigate.json";

  private final byte[] document;

  public ApiDocsRoutes() {
    // Read once at startup, so a packaging mistake fails the node's start instead of a request.
    try (InputStream in = ApiDocsRoutes.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("the OpenAPI document " + RESOURCE + " is missing from the classpath");
      }
      this.document = in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + RESOURCE, e);
    }
  }

  public void register(RoutesConfig routes) {
    routes.get("/api/docs", ctx -> ctx.contentType("application/json").result(document));
  }
}
