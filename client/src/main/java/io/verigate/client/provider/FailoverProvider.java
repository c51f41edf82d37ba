package io.verigate.client.provider;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.verigate.client.provider.ProviderException.Reason;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Several providers in order of preference, tried route by route (provider x country, the order's countries in their
 * order within each provider), skipping routes whose circuit is open and trying routes with poor health last.
 *
 * <p>Each provider and each provider-country pair has a Resilience4j circuit breaker that records results, not only
 * exceptions: a purchase refused for want of numbers, a number without a code before the deadline, a provider that is
 * down or rate-limiting all count as failures, so a {@code NO_NUMBERS} storm opens the circuit as an outage does.
 * Health per (provider, country, service) is kept in a rolling window ({@link #health()}).
 *
 * <p>{@link #verify} runs one job within a {@link Budget}: it never holds more money than the budget, never buys more
 * numbers, never waits past the deadline, and cancels (so the provider refunds) every number that got no code in
 * time. The clock is injected, for the deadline, the health window and the breakers' open-state wait.
 */
public final class FailoverProvider implements VerificationProvider {
  /** Outcomes that count against a route's circuit and health. */
  private static final Set<Reason> FAILURES = EnumSet.of(Reason.NO_NUMBERS, Reason.NO_BALANCE, Reason.RATE_LIMITED,
      Reason.TIMEOUT, Reason.ENDED, Reason.PROVIDER_DOWN);
  /** Outcomes that rule a provider out for the rest of a job, whatever the country. */
  private static final Set<Reason> PROVIDER_WIDE = EnumSet.of(Reason.NO_BALANCE, Reason.RATE_LIMITED,
      Reason.PROVIDER_DOWN);
  /** The result a breaker records for a code that arrived. */
  private static final String CODE_ARRIVED = "CODE_ARRIVED";

  private final String name;
  private final List<VerificationProvider> providers;
  private final Map<String, VerificationProvider> byName = new LinkedHashMap<>();
  private final Clock clock;
  private final FailoverListener listener;
  private final CircuitBreakerRegistry breakers;
  private final Health health;
  private final double unhealthyBelow;
  private final int healthEvidence;
  /** Numbers sold through {@link #buy} whose outcome their breakers still await. */
  private final Map<BoughtNumber, Permit> pending = new ConcurrentHashMap<>();

  private FailoverProvider(Builder b) {
    this.name = b.name;
    this.providers = List.copyOf(b.providers);
    for (VerificationProvider provider : providers) {
      if (byName.put(provider.name(), provider) != null) {
        throw new IllegalArgumentException("two providers are named " + provider.name());
      }
    }
    if (providers.isEmpty()) {
      throw new IllegalArgumentException("a failover needs at least one provider");
    }
    this.clock = b.clock;
    this.listener = b.listener;
    this.breakers = CircuitBreakerRegistry.of(CircuitBreakerConfig.from(b.breakerConfig)
        .recordResult(result -> result instanceof Reason reason && FAILURES.contains(reason))
        .clock(b.clock)
        .build());
    this.health = new Health(b.clock, b.healthWindow);
    this.unhealthyBelow = b.unhealthyBelow;
    this.healthEvidence = b.healthEvidence;
  }

  public static Builder builder() {
    return new Builder();
  }

  @Override
  public String name() {
    return name;
  }

  /** Success per (provider, country, service) in the rolling window. */
  public Health health() {
    return health;
  }

  /** The circuit of a whole provider. */
  public CircuitBreaker.State state(String provider) {
    return breaker(provider).getState();
  }

  /** The circuit of one provider in one country. */
  public CircuitBreaker.State state(String provider, String country) {
    return breaker(provider + "/" + key(country)).getState();
  }

  /**
   * Runs one verification: buys a number on the best route, hands it to {@code useNumber} (which has the target
   * service send its code there), and waits for the code; a number without one within the budget's code wait is
   * cancelled and the next route tried. Returns the verification, or throws the reason the job failed ({@code TIMEOUT}
   * once the deadline passed; each route's own failure is attached as a suppressed exception).
   */
  public Verification verify(Order order, Budget budget, Consumer<BoughtNumber> useNumber) throws InterruptedException {
    Instant deadline = clock.instant().plus(budget.deadline());
    BigDecimal held = BigDecimal.ZERO;
    int bought = 0;
    List<ProviderException> failures = new ArrayList<>();
    Set<String> ruledOut = new HashSet<>();
    boolean triedAny = false;
    String stop = "every route was tried";
    for (Route route : routes(providers, order)) {
      BigDecimal left = budget.money().subtract(held);
      if (bought >= budget.numbers()) {
        stop = "the budget of " + budget.numbers() + " numbers is used";
        break;
      }
      if (!clock.instant().isBefore(deadline)) {
        stop = "the deadline passed";
        break;
      }
      if (left.signum() <= 0) {
        stop = "the budget of " + budget.money() + " is held";
        break;
      }
      if (ruledOut.contains(route.provider().name())) {
        continue;
      }
      BigDecimal cap = order.maxPrice() == null || order.maxPrice().compareTo(left) > 0 ? left : order.maxPrice();
      Permit permit = permit(route, order.service());
      if (permit == null) {
        continue;
      }
      triedAny = true;
      BoughtNumber number = buy(route, order.inCountry(route.country()).withMaxPrice(cap), permit, failures, ruledOut);
      if (number == null) {
        continue;
      }
      bought++;
      held = held.add(number.price());
      try {
        useNumber.accept(number);
      } catch (RuntimeException e) {
        permit.release();
        cancelQuietly(route.provider(), number);
        throw e;
      }
      Duration untilDeadline = Duration.between(clock.instant(), deadline);
      Duration wait = budget.codeWait().compareTo(untilDeadline) < 0 ? budget.codeWait() : untilDeadline;
      try {
        String code = route.provider().awaitCode(number, wait);
        permit.record(CODE_ARRIVED);
        return new Verification(number, code, bought, held);
      } catch (ProviderException e) {
        failures.add(e);
        permit.record(e.reason());
        if (e.reason() == Reason.ENDED || cancelQuietly(route.provider(), number)) {
          held = held.subtract(number.price());
        }
        if (PROVIDER_WIDE.contains(e.reason())) {
          ruledOut.add(route.provider().name());
        }
      } catch (InterruptedException | RuntimeException e) {
        permit.release();
        cancelQuietly(route.provider(), number);
        throw e;
      }
    }
    throw jobFailed(triedAny, stop, !clock.instant().isBefore(deadline), failures);
  }

  /** Buys on the first route that sells; the breakers learn the outcome when the code is awaited. */
  @Override
  public BoughtNumber buy(Order order) {
    return buy(providers, order);
  }

  /**
   * Buys as {@link #buy(Order)} does, on the named providers' routes only and in the order given, for a caller that
   * ranks the providers anew for each order (the cheapest first, say): open circuits still skip a route, and routes
   * with poor health still go last.
   */
  public BoughtNumber buy(Order order, List<String> ranked) {
    return buy(ranked.stream().map(name -> {
      VerificationProvider provider = byName.get(name);
      if (provider == null) {
        throw new IllegalArgumentException(this.name + " has no provider " + name);
      }
      return provider;
    }).toList(), order);
  }

  private BoughtNumber buy(List<VerificationProvider> ranked, Order order) {
    List<ProviderException> failures = new ArrayList<>();
    Set<String> ruledOut = new HashSet<>();
    boolean triedAny = false;
    for (Route route : routes(ranked, order)) {
      if (ruledOut.contains(route.provider().name())) {
        continue;
      }
      Permit permit = permit(route, order.service());
      if (permit == null) {
        continue;
      }
      triedAny = true;
      BoughtNumber number = buy(route, order.inCountry(route.country()), permit, failures, ruledOut);
      if (number != null) {
        pending.put(number, permit);
        return number;
      }
    }
    throw jobFailed(triedAny, "every route was tried", false, failures);
  }

  @Override
  public String awaitCode(BoughtNumber number, Duration timeout) throws InterruptedException {
    Permit permit = pending.remove(number);
    try {
      String code = provider(number).awaitCode(number, timeout);
      if (permit != null) {
        permit.record(CODE_ARRIVED);
      }
      return code;
    } catch (ProviderException e) {
      if (permit != null) {
        permit.record(e.reason());
      }
      throw e;
    } catch (InterruptedException | RuntimeException e) {
      // No outcome to learn from: the permit goes back, so a half-open breaker is not left one trial short.
      if (permit != null) {
        permit.release();
      }
      throw e;
    }
  }

  @Override
  public void finish(BoughtNumber number) {
    provider(number).finish(number);
  }

  @Override
  public void cancel(BoughtNumber number) {
    Permit permit = pending.remove(number);
    if (permit != null) {
      permit.release();
    }
    provider(number).cancel(number);
  }

  @Override
  public void resend(BoughtNumber number) {
    provider(number).resend(number);
  }

  /** The sum of every provider's balance: meaningful when they share one currency. */
  @Override
  public BigDecimal balance() {
    return providers.stream().map(VerificationProvider::balance).reduce(BigDecimal.ZERO, BigDecimal::add);
  }

  private record Route(VerificationProvider provider, String country) {}

  /** Providers in rank, each with the order's countries in rank; routes with poor health go last, keeping their rank. */
  private List<Route> routes(List<VerificationProvider> ranked, Order order) {
    List<Route> routes = new ArrayList<>();
    for (VerificationProvider provider : ranked) {
      for (String country : order.countries()) {
        routes.add(new Route(provider, key(country)));
      }
    }
    routes.sort(Comparator.comparing(route -> unhealthy(route, order.service())));
    return routes;
  }

  private boolean unhealthy(Route route, String service) {
    Health.Report report = health.report(route.provider().name(), route.country(), service);
    return report.total() >= healthEvidence && report.successRate() < unhealthyBelow;
  }

  /** One purchase on one route; null (with the failure recorded) when the route sold nothing. */
  private BoughtNumber buy(Route route, Order order, Permit permit, List<ProviderException> failures,
      Set<String> ruledOut) {
    try {
      BoughtNumber number = route.provider().buy(order);
      if (order.maxPrice() != null && number.price().compareTo(order.maxPrice()) > 0) {
        // A provider that ignored the maximum: give the number back rather than spend past the budget.
        cancelQuietly(route.provider(), number);
        throw new ProviderException(Reason.PRICE_ABOVE_MAX, route.provider().name() + " sold at " + number.price()
            + " over the maximum " + order.maxPrice());
      }
      listener.bought(route.provider().name(), route.country(), order.service(), number.price());
      return number;
    } catch (ProviderException e) {
      failures.add(e);
      permit.record(e.reason());
      if (PROVIDER_WIDE.contains(e.reason())) {
        ruledOut.add(route.provider().name());
      }
      return null;
    } catch (RuntimeException e) {
      // A provider's bug, not a verdict on the route: the circuits must not keep a trial call taken.
      permit.release();
      throw e;
    }
  }

  /** Cancels so the provider refunds; false when it would not (the money stays counted against the budget). */
  private static boolean cancelQuietly(VerificationProvider provider, BoughtNumber number) {
    try {
      provider.cancel(number);
      return true;
    } catch (ProviderException e) {
      return false;
    }
  }

  private ProviderException jobFailed(boolean triedAny, String stop, boolean pastDeadline,
      List<ProviderException> failures) {
    ProviderException failed;
    if (!triedAny) {
      failed = new ProviderException(Reason.PROVIDER_DOWN, "every route's circuit is open");
    } else if (pastDeadline) {
      failed = new ProviderException(Reason.TIMEOUT, "no code before the deadline; " + stop);
    } else {
      Reason last = failures.isEmpty() ? Reason.NO_NUMBERS : failures.get(failures.size() - 1).reason();
      failed = new ProviderException(last, "no code: " + stop);
    }
    failures.forEach(failed::addSuppressed);
    return failed;
  }

  /** Both circuits of a route admitted a call; null when either is open. */
  private Permit permit(Route route, String service) {
    CircuitBreaker provider = breaker(route.provider().name());
    CircuitBreaker country = breaker(route.provider().name() + "/" + route.country());
    if (!provider.tryAcquirePermission()) {
      return null;
    }
    if (!country.tryAcquirePermission()) {
      provider.releasePermission();
      return null;
    }
    return new Permit(route, service, provider, country, clock.millis());
  }

  /** The calls a route's two circuits admitted, to be recorded (or released) exactly once. */
  private final class Permit {
    private final Route route;
    private final String service;
    private final CircuitBreaker provider;
    private final CircuitBreaker country;
    private final long startedMillis;

    Permit(Route route, String service, CircuitBreaker provider, CircuitBreaker country, long startedMillis) {
      this.route = route;
      this.service = service;
      this.provider = provider;
      this.country = country;
      this.startedMillis = startedMillis;
    }

    /** A code, or a reason: failures count against both circuits and the route's health; others are no evidence. */
    void record(Object result) {
      listener.outcome(route.provider().name(), route.country(), service,
          result == CODE_ARRIVED ? "code" : String.valueOf(result), Duration.ofMillis(clock.millis() - startedMillis));
      boolean failed = result instanceof Reason reason && FAILURES.contains(reason);
      if (!failed && result != CODE_ARRIVED) {
        release();
        return;
      }
      long took = Math.max(0, clock.millis() - startedMillis);
      provider.onResult(took, TimeUnit.MILLISECONDS, result);
      country.onResult(took, TimeUnit.MILLISECONDS, result);
      health.record(route.provider().name(), route.country(), service, !failed);
    }

    void release() {
      provider.releasePermission();
      country.releasePermission();
    }
  }

  private CircuitBreaker breaker(String name) {
    return breakers.circuitBreaker(name);
  }

  private VerificationProvider provider(BoughtNumber number) {
    VerificationProvider provider = byName.get(number.provider());
    if (provider == null) {
      throw new ProviderException(Reason.REFUSED, name + " has no provider " + number.provider());
    }
    return provider;
  }

  private static String key(String country) {
    return country.trim().toLowerCase(Locale.ROOT);
  }

  /** Settings of a failover; only the providers are required. */
  public static final class Builder {
    private String name = "failover";
    private final List<VerificationProvider> providers = new ArrayList<>();
    private Clock clock = Clock.systemUTC();
    private CircuitBreakerConfig breakerConfig = CircuitBreakerConfig.custom()
        // Activation volumes per route are low: judge on the last 20 outcomes once 5 are in.
        .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
        .slidingWindowSize(20)
        .minimumNumberOfCalls(5)
        .failureRateThreshold(50)
        .waitDurationInOpenState(Duration.ofMinutes(1))
        .permittedNumberOfCallsInHalfOpenState(2)
        .build();
    private FailoverListener listener = FailoverListener.NONE;
    private Duration healthWindow = Duration.ofHours(1);
    private double unhealthyBelow = 0.5;
    private int healthEvidence = 3;

    private Builder() {}

    public Builder name(String value) {
      this.name = Objects.requireNonNull(value);
      return this;
    }

    /** The next provider in order of preference. */
    public Builder provider(VerificationProvider value) {
      providers.add(Objects.requireNonNull(value));
      return this;
    }

    public Builder clock(Clock value) {
      this.clock = Objects.requireNonNull(value);
      return this;
    }

    /**
     * The circuits' thresholds (window, minimum calls, failure rate, open-state wait, half-open trials); the failover
     * adds its own result recording and clock. Defaults: count-based window of 20, minimum 5, 50 %, 1 minute, 2.
     */
    public Builder breakers(CircuitBreakerConfig value) {
      this.breakerConfig = Objects.requireNonNull(value);
      return this;
    }

    /** Routes with at least {@code evidence} outcomes in {@code window} and a success rate below {@code rate} go last. */
    public Builder health(Duration window, double rate, int evidence) {
      this.healthWindow = Objects.requireNonNull(window);
      this.unhealthyBelow = rate;
      this.healthEvidence = evidence;
      return this;
    }

    /** Hears of every purchase and every route's outcome, for metrics ({@link FailoverMetrics}) or logs. */
    public Builder listener(FailoverListener value) {
      this.listener = Objects.requireNonNull(value);
      return this;
    }

    public FailoverProvider build() {
      return new FailoverProvider(this);
    }
  }
}
