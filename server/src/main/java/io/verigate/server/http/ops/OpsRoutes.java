package io.verigate.server.http.ops;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.javalin.router.Endpoint;
import io.verigate.server.http.support.Gate;
import io.verigate.server.system.Database;
import io.verigate.server.system.Metrics;
import io.verigate.server.system.Version;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What load balancers and monitoring ask a node: {@code /health} (the process answers; touches nothing),
 * {@code /health/ready} (it can reach its database) and {@code /metrics} (Prometheus' scrape), and the measuring of
 * every HTTP request for it.
 */
public final class OpsRoutes {
  /** Well under the usual probe timeouts of load balancers and orchestrators (Kubernetes' default is 1 s, AWS' 5 s). */
  static final Duration READINESS_TIMEOUT = Duration.ofMillis(900);

  /** What {@code /health} answers: that the process is up, and which build it runs. */
  private static final Map<String, String> ALIVE = aliveAnswer();

  private final Database database;
  private final Metrics metrics;
  private final Gate gate;
  private final boolean metricsPublic;

  /** Without {@code metricsPublic}, {@code /metrics} wants the admin token as Bearer, as Prometheus can send it. */
  public OpsRoutes(Database database, Metrics metrics, Gate gate, boolean metricsPublic) {
    this.database = database;
    this.metrics = metrics;
    this.gate = gate;
    this.metricsPublic = metricsPublic;
  }

  public void register(RoutesConfig routes) {
    routes.get("/health", ctx -> ctx.json(ALIVE));
    routes.get("/health/ready", this::ready);
    routes.get("/metrics", this::metrics);
  }

  /**
   * Records one answered request under the route template that matched it; Javalin calls this once the answer is
   * written (for a long poll, once its wait is over).
   */
  public void measure(Context ctx, Float executionMillis) {
    Endpoint endpoint = ctx.endpoints().matchedHttpEndpoint();
    String route = endpoint == null ? Metrics.UNMATCHED_ROUTE : endpoint.path;
    metrics.httpRequest(route, ctx.method().name(), ctx.statusCode(), (long) (executionMillis * 1_000_000));
  }

  private static Map<String, String> aliveAnswer() {
    Map<String, String> body = new LinkedHashMap<>();
    body.put("status", "UP");
    body.put("version", Version.current());
    return java.util.Collections.unmodifiableMap(body);
  }

  private void ready(Context ctx) {
    Optional<String> unavailable = database.unavailable(READINESS_TIMEOUT);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("status", unavailable.isEmpty() ? "UP" : "DOWN");
    unavailable.ifPresent(reason -> body.put("reason", reason));
    ctx.status(unavailable.isEmpty() ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE).json(body);
  }

  private void metrics(Context ctx) {
    if (!metricsPublic) {
      gate.admin(ctx);
    }
    ctx.contentType(Metrics.CONTENT_TYPE).result(metrics.scrape());
  }
}
