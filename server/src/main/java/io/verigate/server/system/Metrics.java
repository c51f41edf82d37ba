package io.verigate.server.system;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;

/**
 * What a node measures, served at {@code /metrics} in Prometheus' text format. Every series Verigate records is
 * named here, so the names and labels stay few and fixed: a label takes a route template, an outcome, an error code or
 * an operator-made name, never a raw path, an id or anything else a caller chose. Counting is cheap (an increment of a
 * meter looked up once, or by a few short labels), as purchases and inbound messages run at thousands a second.
 */
public final class Metrics {
  /** The content type of {@link #scrape}: Prometheus' text exposition format 0.0.4. */
  public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
  /** The label value of a request no route matched, whatever its path. */
  public static final String UNMATCHED_ROUTE = "unmatched";
  private static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS");
  /**
   * Latency buckets of the HTTP timer, so that dashboards can compute percentiles across nodes: from a status read
   * served from memory (about a millisecond) to a long poll's 25 s.
   */
  private static final Duration[] HTTP_BUCKETS = {Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
      Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
      Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30)};

  /** How a purchase ended, in every dialect alike. */
  public enum PurchaseOutcome {
    /** A number was sold. */
    BOUGHT,
    /** An Idempotency-Key (or sms-activate orderId) repeated an earlier purchase: nothing new was sold. */
    REPLAYED,
    /** A refusal with an {@link ErrorCode}, also counted by code. */
    REFUSED,
    /** An unexpected error (the database, a bug): the caller saw an internal error. */
    FAILED
  }

  /** What became of an inbound message. */
  public enum InboundOutcome {
    /** Journaled and given to the live activation on its number. */
    MATCHED,
    /** Journaled, but no live activation held its number. */
    UNMATCHED,
    /** Its source sent it before (same message id): acknowledged again, stored once. */
    DUPLICATE,
    /** The request naming the source was refused (a bad signature, a malformed message): nothing stored. */
    REJECTED
  }

  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Map<PurchaseOutcome, Counter> purchases = new EnumMap<>(PurchaseOutcome.class);
  private final Map<ErrorCode, Counter> purchaseRefusals = new EnumMap<>(ErrorCode.class);
  private final Meter.MeterProvider<Timer> httpRequests;
  private final Meter.MeterProvider<Counter> inbound;
  private final Meter.MeterProvider<Counter> rateLimited;
  private final Meter.MeterProvider<Counter> emailPurchases;
  private final Meter.MeterProvider<Counter> letters;

  public Metrics() {
    // Meters that libraries register under their own names (HikariCP's hikaricp.*) join the verigate_ namespace.
    registry.config().meterFilter(new MeterFilter() {
      @Override
      public Meter.Id map(Meter.Id id) {
        return id.getName().startsWith("verigate.") ? id : id.withName("verigate." + id.getName());
      }
    });
    for (PurchaseOutcome outcome : PurchaseOutcome.values()) {
      purchases.put(outcome, Counter.builder("verigate.purchases")
          .description("Purchases of a number by how they ended, in every dialect")
          .tag("outcome", label(outcome))
          .register(registry));
    }
    for (ErrorCode code : ErrorCode.values()) {
      purchaseRefusals.put(code, Counter.builder("verigate.purchase.refusals")
          .description("Refused purchases by error code")
          .tag("code", code.name())
          .register(registry));
    }
    this.httpRequests = Timer.builder("verigate.http.requests")
        .description("HTTP requests by route template, method and status; a long poll's time includes its wait")
        .serviceLevelObjectives(HTTP_BUCKETS)
        .withRegistry(registry);
    this.inbound = Counter.builder("verigate.inbound.messages")
        .description("Inbound SMS by number source and outcome")
        .withRegistry(registry);
    this.rateLimited = Counter.builder("verigate.rate.limited")
        .description("Requests refused by a rate limit, by limit class")
        .withRegistry(registry);
    this.emailPurchases = Counter.builder("verigate.email.purchases")
        .description("Purchases of an email activation (a new address or a reorder) by how they ended, in every dialect")
        .withRegistry(registry);
    this.letters = Counter.builder("verigate.email.letters")
        .description("Letters taken by the SMTP listener (or the sandbox) by outcome: matched to a live email "
            + "activation, unmatched (kept, given to none), duplicate (a repeated Message-ID, stored once)")
        .withRegistry(registry);
  }

  /** The registry itself, for libraries that report through Micrometer (the connection pool). */
  public MeterRegistry registry() {
    return registry;
  }

  /** Every series now, in Prometheus' text format ({@link #CONTENT_TYPE}). */
  public String scrape() {
    return registry.scrape();
  }

  /**
   * One answered HTTP request. {@code route} is the template that matched ({@code /api/v1/activations/{id}}), or
   * {@link #UNMATCHED_ROUTE}; a method outside HTTP's usual ones counts as {@code OTHER}.
   */
  public void httpRequest(String route, String method, int status, long nanos) {
    String shownMethod = METHODS.contains(method) ? method : "OTHER";
    httpRequests.withTags("route", route, "method", shownMethod, "status", Integer.toString(status))
        .record(nanos, TimeUnit.NANOSECONDS);
  }

  public void purchase(PurchaseOutcome outcome) {
    purchases.get(outcome).increment();
  }

  /** A refused purchase: counted as {@link PurchaseOutcome#REFUSED} and under its code. */
  public void purchaseRefused(ErrorCode code) {
    purchases.get(PurchaseOutcome.REFUSED).increment();
    purchaseRefusals.get(code).increment();
  }

  /** An email purchase that ended so; a refusal is also tagged with its code. */
  public void emailPurchase(PurchaseOutcome outcome, ErrorCode refusal) {
    emailPurchases.withTags("outcome", label(outcome), "code", refusal == null ? "none" : refusal.name()).increment();
  }

  /** A letter stored for a mailbox; only {@code MATCHED}, {@code UNMATCHED} and {@code DUPLICATE} apply. */
  public void letter(InboundOutcome outcome) {
    letters.withTags("outcome", label(outcome)).increment();
  }

  /** One inbound message from the number source of this name. */
  public void inbound(String source, InboundOutcome outcome) {
    inbound.withTags("source", source, "outcome", label(outcome)).increment();
  }

  /** A request refused by the rate limit of this class (a fixed name the limiter gives, such as {@code purchase}). */
  public void rateLimited(String limitClass) {
    rateLimited.withTags("limit", limitClass).increment();
  }

  /** How many long polls are parked on this node; read at every scrape. */
  public void parkedLongPolls(IntSupplier parked) {
    Gauge.builder("verigate.long.polls.parked", parked::getAsInt)
        .description("Long polls waiting for their activation to change on this node")
        .register(registry);
  }

  private static String label(Enum<?> value) {
    return value.name().toLowerCase(Locale.ROOT);
  }
}
