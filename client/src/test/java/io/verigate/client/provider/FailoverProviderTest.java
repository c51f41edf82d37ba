package io.verigate.client.provider;

import static io.verigate.client.provider.InMemoryProviderTest.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.verigate.client.provider.InMemoryProvider.Outcome;
import io.verigate.client.provider.ProviderException.Reason;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The failover against scripted in-memory providers on a test clock. */
class FailoverProviderTest {
  private static final Order WHATSAPP_US_GB = Order.of("wa", "us", "gb").withMaxPrice(new BigDecimal("0.60"));
  private static final Budget BUDGET = Budget.of(new BigDecimal("5.00"), 5, Duration.ofMinutes(10))
      .withCodeWait(Duration.ofMinutes(2));

  private final ManualTime time = new ManualTime();
  private final InMemoryProvider primary = new InMemoryProvider("primary", new BigDecimal("10"), time, time);
  private final InMemoryProvider backup = new InMemoryProvider("backup", new BigDecimal("10"), time, time);
  /** Every number the job handed to the caller, in order. */
  private final List<BoughtNumber> used = Collections.synchronizedList(new ArrayList<>());

  private FailoverProvider.Builder failover() {
    return FailoverProvider.builder().provider(primary).provider(backup).clock(time);
  }

  private Verification verify(FailoverProvider failover, Order order, Budget budget) throws InterruptedException {
    return failover.verify(order, budget, used::add);
  }

  @Test
  void triesTheRankedCountriesOfTheFirstProviderThenTheNextProvider() throws InterruptedException {
    primary.script("us", Outcome.noNumbers()).script("gb", Outcome.noNumbers());
    backup.script("us", Outcome.codeAfter(Duration.ofSeconds(20), "424242"));

    Verification done = verify(failover().build(), WHATSAPP_US_GB, BUDGET);

    assertThat(done.code()).isEqualTo("424242");
    assertThat(done.number().provider()).isEqualTo("backup");
    assertThat(done.number().country()).isEqualTo("us");
    assertThat(primary.purchaseAttempts()).containsExactly("us", "gb");
    assertThat(used).containsExactly(done.number());
  }

  @Test
  void aNumberWithoutACodeIsCancelledSoItIsRefundedAndTheNextRouteIsTried() throws InterruptedException {
    primary.script("us", Outcome.neverCode());
    primary.script("gb", Outcome.codeAfter(Duration.ofSeconds(10), "777"));
    Instant start = time.instant();

    Verification done = verify(failover().build(), WHATSAPP_US_GB, BUDGET);

    assertThat(done.code()).isEqualTo("777");
    assertThat(used).hasSize(2);
    assertThat(primary.status(used.get(0))).isEqualTo("CANCELED");
    assertThat(done.numbersBought()).isEqualTo(2);
    assertThat(done.moneyHeld()).isEqualByComparingTo("0.50");
    assertThat(primary.balance()).isEqualByComparingTo("9.50");
    assertThat(Duration.between(start, time.instant())).isEqualTo(Duration.ofMinutes(2).plusSeconds(10));
  }

  @Test
  void neverHoldsMoreMoneyThanTheBudgetEvenWhenACancelIsRefused() throws InterruptedException {
    VerificationProvider stuck = new Faulty(primary, Fault.CANCEL_REFUSED);
    primary.script(Outcome.neverCode());
    FailoverProvider failover = FailoverProvider.builder().provider(stuck).provider(backup).clock(time).build();
    Budget seventyCents = Budget.of(new BigDecimal("0.70"), 5, Duration.ofMinutes(10)).withCodeWait(Duration.ofMinutes(1));

    assertThatThrownBy(() -> verify(failover, WHATSAPP_US_GB, seventyCents))
        .isInstanceOfSatisfying(ProviderException.class, e -> assertThat(e.reason()).isEqualTo(Reason.PRICE_ABOVE_MAX));

    assertThat(used).hasSize(1);
    assertThat(backup.purchaseAttempts()).as("asked, but at most the 0.20 left").isNotEmpty();
    assertThat(backup.balance()).isEqualByComparingTo("10");
  }

  @Test
  void buysNoMoreNumbersThanTheBudgetAllows() {
    primary.script(Outcome.neverCode(), Outcome.neverCode());
    backup.script(Outcome.neverCode(), Outcome.neverCode());
    Budget twoNumbers = Budget.of(new BigDecimal("5"), 2, Duration.ofHours(1)).withCodeWait(Duration.ofMinutes(1));

    assertRefused(() -> verify(failover().build(), WHATSAPP_US_GB, twoNumbers), Reason.TIMEOUT);

    assertThat(used).hasSize(2);
    assertThat(backup.purchaseAttempts()).isEmpty();
    assertThat(used).allSatisfy(number -> assertThat(primary.status(number)).isEqualTo("CANCELED"));
  }

  @Test
  void stopsAtTheDeadlineAndCancelsTheLastNumber() {
    primary.script(Outcome.neverCode(), Outcome.neverCode());
    Budget threeMinutes = Budget.of(new BigDecimal("5"), 5, Duration.ofMinutes(3)).withCodeWait(Duration.ofMinutes(2));
    Instant start = time.instant();

    assertRefused(() -> verify(failover().build(), WHATSAPP_US_GB, threeMinutes), Reason.TIMEOUT);

    assertThat(Duration.between(start, time.instant())).isEqualTo(Duration.ofMinutes(3));
    assertThat(time.sleeps()).containsExactly(Duration.ofMinutes(2), Duration.ofMinutes(1));
    assertThat(used).hasSize(2).allSatisfy(number -> assertThat(primary.status(number)).isEqualTo("CANCELED"));
    assertThat(primary.balance()).isEqualByComparingTo("10");
  }

  @Test
  void aStormOfNoNumbersOpensTheProvidersCircuitWhichHalfOpensAfterItsWait() throws InterruptedException {
    FailoverProvider failover = failover().breakers(CircuitBreakerConfig.custom()
        .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED).slidingWindowSize(4)
        .minimumNumberOfCalls(4).failureRateThreshold(50).waitDurationInOpenState(Duration.ofMinutes(1))
        .permittedNumberOfCallsInHalfOpenState(1).build())
        // Only the circuit decides here: health would demote the route before the circuit opens.
        .health(Duration.ofHours(1), 0.5, 100).build();
    Order us = Order.of("wa", "us");
    primary.script("us", Outcome.noNumbers(), Outcome.noNumbers(), Outcome.noNumbers(), Outcome.noNumbers());

    for (int i = 0; i < 4; i++) {
      assertThat(verify(failover, us, BUDGET).number().provider()).isEqualTo("backup");
    }
    assertThat(failover.state("primary")).isEqualTo(CircuitBreaker.State.OPEN);
    assertThat(failover.state("primary", "us")).isEqualTo(CircuitBreaker.State.OPEN);
    assertThat(verify(failover, us, BUDGET).number().provider()).isEqualTo("backup");
    assertThat(primary.purchaseAttempts()).as("not asked while open").hasSize(4);

    time.advance(Duration.ofMinutes(1).plusMillis(1));
    Verification trial = verify(failover, us, BUDGET);

    assertThat(trial.number().provider()).as("the half-open trial call").isEqualTo("primary");
    assertThat(failover.state("primary")).isEqualTo(CircuitBreaker.State.CLOSED);
  }

  @Test
  void anInterruptedWaitGivesItsHalfOpenTrialBack() throws InterruptedException {
    FailoverProvider failover = FailoverProvider.builder().provider(new Faulty(primary, Fault.WAIT_INTERRUPTED))
        .provider(backup).clock(time).breakers(CircuitBreakerConfig.custom()
            .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED).slidingWindowSize(2)
            .minimumNumberOfCalls(2).failureRateThreshold(50).waitDurationInOpenState(Duration.ofMinutes(1))
            .permittedNumberOfCallsInHalfOpenState(1).build())
        .health(Duration.ofHours(1), 0.5, 100).build();
    Order us = Order.of("wa", "us");
    primary.script("us", Outcome.noNumbers(), Outcome.noNumbers());
    failover.buy(us);
    failover.buy(us);
    assertThat(failover.state("primary")).isEqualTo(CircuitBreaker.State.OPEN);
    time.advance(Duration.ofMinutes(1).plusMillis(1));

    BoughtNumber trial = failover.buy(us);
    assertThat(trial.provider()).as("the half-open trial").isEqualTo("primary");
    assertThatThrownBy(() -> failover.awaitCode(trial, Duration.ofMinutes(1))).isInstanceOf(InterruptedException.class);

    assertThat(failover.buy(us).provider()).as("the trial's permit came back").isEqualTo("primary");
  }

  @Test
  void reportsEachPurchaseAndEachRoutesOutcomeToItsMetrics() throws InterruptedException {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    FailoverProvider failover = failover().listener(new FailoverMetrics(registry)).build();
    primary.script("us", Outcome.noNumbers());

    verify(failover, Order.of("wa", "us"), BUDGET);

    assertThat(registry.get("verigate.client.purchases").tags("provider", "backup", "country", "us", "service", "wa")
        .counter().count()).isEqualTo(1);
    assertThat(registry.find("verigate.client.purchases").tags("provider", "primary").counter()).isNull();
    assertThat(registry.get("verigate.client.outcomes").tags("provider", "primary", "outcome", "NO_NUMBERS")
        .timer().count()).isEqualTo(1);
    assertThat(registry.get("verigate.client.outcomes").tags("provider", "backup", "outcome", "code")
        .timer().count()).isEqualTo(1);
  }

  @Test
  void numbersThatTimeOutCountAgainstTheRoutesCircuit() throws InterruptedException {
    FailoverProvider failover = failover().breakers(CircuitBreakerConfig.custom().slidingWindowSize(2)
        .minimumNumberOfCalls(2).failureRateThreshold(50).build()).build();
    primary.script("us", Outcome.neverCode(), Outcome.neverCode());

    verify(failover, Order.of("wa", "us"), BUDGET);
    verify(failover, Order.of("wa", "us"), BUDGET);

    assertThat(failover.state("primary", "us")).isEqualTo(CircuitBreaker.State.OPEN);
    assertThat(failover.state("primary", "gb")).isEqualTo(CircuitBreaker.State.CLOSED);
    assertThat(failover.health().report("primary", "us", "wa")).isEqualTo(new Health.Report(0, 2));
    assertThat(failover.health().report("backup", "us", "wa")).isEqualTo(new Health.Report(2, 0));
  }

  @Test
  void routesWithPoorHealthInTheWindowAreTriedLastUntilTheWindowForgetsThem() throws InterruptedException {
    FailoverProvider failover = failover().health(Duration.ofHours(1), 0.5, 3).build();
    primary.script("us", Outcome.noNumbers(), Outcome.noNumbers(), Outcome.noNumbers());
    Order us = Order.of("wa", "us");
    for (int i = 0; i < 3; i++) {
      verify(failover, us, BUDGET);
    }

    assertThat(verify(failover, us, BUDGET).number().provider()).isEqualTo("backup");
    assertThat(primary.purchaseAttempts()).hasSize(3);

    time.advance(Duration.ofHours(1).plusSeconds(1));
    assertThat(verify(failover, us, BUDGET).number().provider()).isEqualTo("primary");
  }

  @Test
  void asAProviderItBuysOnTheFirstRouteAndSendsEachActionToTheNumbersProvider() throws InterruptedException {
    primary.script(Outcome.down());
    FailoverProvider failover = failover().build();

    BoughtNumber number = failover.buy(WHATSAPP_US_GB);
    String code = failover.awaitCode(number, Duration.ofMinutes(1));
    failover.finish(number);

    assertThat(number.provider()).isEqualTo("backup");
    assertThat(code).isEqualTo("000000");
    assertThat(backup.status(number)).isEqualTo("FINISHED");
    assertThat(failover.balance()).isEqualByComparingTo("19.50");
  }

  /** What goes wrong with a {@link Faulty} provider. */
  private enum Fault {
    /** Cancels are refused (a guard, an outage): its numbers stay paid for. */
    CANCEL_REFUSED,
    /** The wait for a code is interrupted (the caller gave up on it). */
    WAIT_INTERRUPTED
  }

  /** An in-memory provider with one fault. */
  private record Faulty(InMemoryProvider inner, Fault fault) implements VerificationProvider {
    @Override
    public String name() {
      return inner.name();
    }

    @Override
    public BoughtNumber buy(Order order) {
      return inner.buy(order);
    }

    @Override
    public String awaitCode(BoughtNumber number, Duration timeout) throws InterruptedException {
      if (fault == Fault.WAIT_INTERRUPTED) {
        throw new InterruptedException("the caller gave up");
      }
      return inner.awaitCode(number, timeout);
    }

    @Override
    public void finish(BoughtNumber number) {
      inner.finish(number);
    }

    @Override
    public void cancel(BoughtNumber number) {
      if (fault == Fault.CANCEL_REFUSED) {
        throw new ProviderException(Reason.REFUSED, "EARLY_CANCEL_DENIED");
      }
      inner.cancel(number);
    }

    @Override
    public void resend(BoughtNumber number) {
      inner.resend(number);
    }

    @Override
    public BigDecimal balance() {
      return inner.balance();
    }
  }
  @Test
  void aPerOrderRankingPutsTheCheaperProviderFirstAndAnOpenCircuitStillSkipsIt() throws InterruptedException {
    primary.price(new BigDecimal("0.40"));
    backup.price(new BigDecimal("0.20"));
    FailoverProvider failover = failover().breakers(CircuitBreakerConfig.custom()
        .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED).slidingWindowSize(2)
        .minimumNumberOfCalls(2).failureRateThreshold(50).waitDurationInOpenState(Duration.ofMinutes(1)).build())
        .health(Duration.ofHours(1), 0.5, 100).build();
    List<String> cheapestFirst = List.of(primary, backup).stream()
        .sorted(Comparator.comparing(provider -> provider.price("wa", "us").orElseThrow()))
        .map(InMemoryProvider::name).toList();
    assertThat(cheapestFirst).containsExactly("backup", "primary");

    assertThat(failover.buy(Order.of("wa", "us"), cheapestFirst).provider()).isEqualTo("backup");
    assertThat(primary.purchaseAttempts()).isEmpty();

    backup.script("us", Outcome.down(), Outcome.down());
    assertThat(failover.buy(Order.of("wa", "us"), cheapestFirst).provider()).isEqualTo("primary");
    assertThat(failover.buy(Order.of("wa", "us"), cheapestFirst).provider()).isEqualTo("primary");
    assertThat(failover.state("backup")).isEqualTo(CircuitBreaker.State.OPEN);
    assertThat(failover.buy(Order.of("wa", "us"), cheapestFirst).provider()).isEqualTo("primary");
    assertThat(backup.purchaseAttempts()).as("not asked while open").hasSize(3);
    assertThatThrownBy(() -> failover.buy(Order.of("wa", "us"), List.of("elsewhere")))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
