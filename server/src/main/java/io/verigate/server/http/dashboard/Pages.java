package io.verigate.server.http.dashboard;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HttpStatus;
import io.verigate.server.http.support.Resources;
import io.verigate.server.system.ErrorCode;
import io.verigate.server.system.Failure;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.thymeleaf.TemplateEngine;
import org.thymeleaf.context.IExpressionContext;
import org.thymeleaf.linkbuilder.StandardLinkBuilder;
import org.thymeleaf.templatemode.TemplateMode;
import org.thymeleaf.templateresolver.ClassLoaderTemplateResolver;

/**
 * Renders the dashboard's Thymeleaf templates (under {@code /dashboard/templates} in the jar) and serves their assets:
 * the stylesheet and script of its own, htmx and Chart.js from their WebJars. Nothing is fetched from elsewhere at run
 * time, which the pages' Content-Security-Policy also holds them to.
 */
final class Pages {
  /**
   * Scripts, styles and connections to this node only, no inline script, forms posted only here, and no framing (no
   * click-jacking of the buttons that spend money).
   */
  static final String POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
      + "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";
  private static final String ASSET_CACHING = "public, max-age=3600";
  private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
      .withZone(ZoneOffset.UTC);

  private record Asset(String contentType, byte[] bytes) {}

  private final TemplateEngine engine = new TemplateEngine();
  private final Map<String, Asset> assets;

  Pages() {
    ClassLoaderTemplateResolver resolver = new ClassLoaderTemplateResolver(Pages.class.getClassLoader());
    resolver.setPrefix("dashboard/templates/");
    resolver.setSuffix(".html");
    resolver.setTemplateMode(TemplateMode.HTML);
    resolver.setCharacterEncoding("UTF-8");
    resolver.setCacheable(true);
    engine.setTemplateResolver(resolver);
    engine.setLinkBuilder(new StandardLinkBuilder() {
      // The node serves the dashboard at its root, so links starting with "/" need no context path (and the pages
      // are rendered outside a servlet context, which Thymeleaf would otherwise ask for).
      @Override
      protected String computeContextPath(IExpressionContext context, String base, Map<String, Object> parameters) {
        return "";
      }
    });
    String htmx = Resources.webJar("org.webjars.npm", "htmx.org");
    String chart = Resources.webJar("org.webjars.npm", "chart.js");
    this.assets = Map.of(
        "dashboard.css", new Asset("text/css", Resources.read("/dashboard/static/dashboard.css")),
        "dashboard.js", new Asset("text/javascript", Resources.read("/dashboard/static/dashboard.js")),
        "htmx.min.js", new Asset("text/javascript", Resources.read(htmx + "dist/htmx.min.js")),
        "chart.umd.min.js", new Asset("text/javascript", Resources.read(chart + "dist/chart.umd.min.js")));
  }

  void register(RoutesConfig routes) {
    routes.get("/dashboard/assets/{file}", this::asset);
    routes.exception(LoginRequired.class, (e, ctx) -> ctx.redirect(e.loginPage(), HttpStatus.SEE_OTHER));
  }

  /** A page's handler whose refusals are answered as a page, not as the API's problem document. */
  Handler page(Handler handler) {
    return ctx -> {
      try {
        handler.handle(ctx);
      } catch (Failure refusal) {
        error(ctx, refusal);
      }
    };
  }

  /** Answers the request with a page: {@code template} filled with {@code model}. */
  void render(Context ctx, String template, Map<String, Object> model) {
    html(ctx, engine.process(template, variables(model)));
  }

  /** Answers with a page fragment (for htmx to swap in), {@code fragment} of {@code template}. */
  void fragment(Context ctx, String template, String fragment, Map<String, Object> model) {
    html(ctx, engine.process(template, Set.of(fragment), variables(model)));
  }

  private static org.thymeleaf.context.Context variables(Map<String, Object> model) {
    org.thymeleaf.context.Context variables = new org.thymeleaf.context.Context(Locale.ENGLISH);
    variables.setVariables(new HashMap<>(model));
    return variables;
  }

  private static void html(Context ctx, String page) {
    ctx.header("Content-Security-Policy", POLICY).contentType("text/html; charset=utf-8").result(page);
  }

  /** A moment as the pages show it: to the second, in UTC, which every other figure of the node uses too. */
  static String when(Instant instant) {
    return instant == null ? "" : WHEN.format(instant);
  }

  /** A refusal as a page, with the status its code carries. */
  void error(Context ctx, Failure failure) {
    ctx.status(failure.code().httpStatus());
    render(ctx, "error", Map.of("title", failure.code().title(), "message", failure.getMessage()));
  }

  private void asset(Context ctx) {
    Asset asset = assets.get(ctx.pathParam("file"));
    if (asset == null) {
      throw new Failure(ErrorCode.NOT_FOUND, "no such file of the dashboard");
    }
    ctx.header("Cache-Control", ASSET_CACHING).contentType(asset.contentType()).result(asset.bytes());
  }
}
