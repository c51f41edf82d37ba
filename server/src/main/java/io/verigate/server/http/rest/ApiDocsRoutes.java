package io.verigate.server.http.rest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.verigate.server.system.ErrorCode;
import io.verigate.server.system.Failure;
import io.verigate.server.http.support.Json;
import io.verigate.server.http.support.Resources;
import io.verigate.server.system.Version;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * Serves the API documents and a page to browse them. {@code GET /api/docs} is the OpenAPI 3.1 document of the REST,
 * quick-start, admin and gateway routes; {@code /api/docs/sms-activate.json} and {@code /api/docs/5sim.json} describe
 * the two compatibility dialects. The documents are hand-written resources rather than generated, and
 * {@code OpenApiContractTest} holds the first to the real responses. {@code /api/docs/ui} is Swagger UI on all three,
 * from the swagger-ui WebJar in the node's own jar, so the page downloads nothing from elsewhere.
 */
public final class ApiDocsRoutes {
  public static final String RESOURCE = "/openapi/verigate.json";
  public static final String SMS_ACTIVATE_RESOURCE = "/openapi/sms-activate.json";
  public static final String FIVESIM_RESOURCE = "/openapi/5sim.json";

  /**
   * Scripts and styles from this node only. Swagger UI sets inline styles and shows images given as data URLs; it
   * fetches the documents, and tries requests out, on this node. Nothing may frame the page.
   */
  static final String UI_POLICY = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
      + "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; "
      + "frame-ancestors 'none'";
  /** The WebJar's files change only with its version, which an upgrade of the node brings. */
  private static final String ASSET_CACHING = "public, max-age=3600";

  private record Asset(String contentType, byte[] bytes) {}

  private final byte[] document;
  private final byte[] smsActivateDocument;
  private final byte[] fiveSimDocument;
  private final byte[] page;
  private final Map<String, Asset> assets;

  public ApiDocsRoutes() {
    // Read once at startup, so a packaging mistake fails the node's start instead of a request.
    this.document = withBuildVersion(read(RESOURCE));
    this.smsActivateDocument = read(SMS_ACTIVATE_RESOURCE);
    this.fiveSimDocument = read(FIVESIM_RESOURCE);
    this.page = read("/openapi/ui/index.html");
    String webJar = Resources.webJar("org.webjars", "swagger-ui");
    this.assets = Map.of(
        "swagger-ui.css", new Asset("text/css", read(webJar + "swagger-ui.css")),
        "swagger-ui-bundle.js", new Asset("text/javascript", read(webJar + "swagger-ui-bundle.js")),
        "swagger-ui-standalone-preset.js", new Asset("text/javascript", read(webJar + "swagger-ui-standalone-preset.js")),
        "favicon-32x32.png", new Asset("image/png", read(webJar + "favicon-32x32.png")),
        "verigate-ui.js", new Asset("text/javascript", read("/openapi/ui/verigate-ui.js")));
  }

  /** The document with {@code info.version} set to this build's version, so the two never disagree. */
  private static byte[] withBuildVersion(byte[] written) {
    try {
      ObjectNode document = (ObjectNode) Json.MAPPER.readTree(written);
      ((ObjectNode) document.get("info")).put("version", Version.current());
      return Json.MAPPER.writeValueAsBytes(document);
    } catch (IOException e) {
      throw new UncheckedIOException("the OpenAPI document " + RESOURCE + " is not JSON", e);
    }
  }

  public void register(RoutesConfig routes) {
    routes.get("/api/docs", ctx -> ctx.contentType("application/json").result(document));
    routes.get("/api/docs/sms-activate.json", ctx -> ctx.contentType("application/json").result(smsActivateDocument));
    routes.get("/api/docs/5sim.json", ctx -> ctx.contentType("application/json").result(fiveSimDocument));
    routes.get("/api/docs/ui", ctx -> ctx.header("Content-Security-Policy", UI_POLICY)
        .contentType("text/html; charset=utf-8").result(page));
    routes.get("/api/docs/ui/{file}", this::asset);
  }

  private void asset(Context ctx) {
    Asset asset = assets.get(ctx.pathParam("file"));
    if (asset == null) {
      throw new Failure(ErrorCode.NOT_FOUND, "no such file of the API documents' page");
    }
    ctx.header("Cache-Control", ASSET_CACHING).contentType(asset.contentType()).result(asset.bytes());
  }

  private static byte[] read(String resource) {
    return Resources.read(resource);
  }
}
