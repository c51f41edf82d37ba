package io.verigate.client.provider;

import io.verigate.client.provider.ProviderException.Reason;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A provider that lives in memory and does what a test scripts, for unit-testing code written against
 * {@link VerificationProvider} without a network: each purchase takes the next scripted {@link Outcome} (of the
 * country, else of any country; {@link Outcome#codeAfter} at once when the script is empty). Bought numbers hold their
 * price from the balance; cancelling refunds it. Time is the given clock, and waiting goes through the given sleeper,
 * so a test clock that jumps ahead makes a two-minute wait instant.
 */
public final class InMemoryProvider implements VerificationProvider {
  /** What one purchase does. */
  public sealed interface Outcome {
    /** A number is sold and its code arrives {@code delay} after the purchase (and again after a resend). */
    record CodeAfter(Duration delay, String code) implements Outcome {}

    /** A number is sold and no code ever arrives. */
    record NeverCode() implements Outcome {}

    /** The purchase fails with {@code reason} (and {@code retryAfter} for {@code RATE_LIMITED}). */
    record Refusal(Reason reason, Duration retryAfter) implements Outcome {}

    static Outcome codeAfter(Duration delay, String code) {
      return new CodeAfter(delay, code);
    }

    static Outcome neverCode() {
      return new NeverCode();
    }

    static Outcome noNumbers() {
      return new Refusal(Reason.NO_NUMBERS, null);
    }

    static Outcome noBalance() {
      return new Refusal(Reason.NO_BALANCE, null);
    }

    static Outcome rateLimited(Duration retryAfter) {
      return new Refusal(Reason.RATE_LIMITED, retryAfter);
    }

    static Outcome down() {
      return new Refusal(Reason.PROVIDER_DOWN, null);
    }
  }

  /** A bought number's state here. */
  private static final class Line {
    final BoughtNumber number;
    final Outcome outcome;
    Instant codeDueAt;
    String status = "WAITING";

    Line(BoughtNumber number, Outcome outcome, Instant codeDueAt) {
      this.number = number;
      this.outcome = outcome;
      this.codeDueAt = codeDueAt;
    }
  }

  private static final String ANY_COUNTRY = "*";

  private final String name;
  private final Clock clock;
  private final Sleeper sleeper;
  private final Map<String, Deque<Outcome>> scripts = new HashMap<>();
  private final Map<String, Line> lines = new HashMap<>();
  private final List<String> purchaseCountries = new ArrayList<>();
  private BigDecimal balance;
  private BigDecimal price = new BigDecimal("0.50");
  private int nextId = 1;

  public InMemoryProvider(String name, BigDecimal balance, Clock clock, Sleeper sleeper) {
    this.name = name;
    this.balance = balance;
    this.clock = clock;
    this.sleeper = sleeper;
  }

  /** Outcomes of the next purchases in any country, in order. */
  public synchronized InMemoryProvider script(Outcome... outcomes) {
    return script(ANY_COUNTRY, outcomes);
  }

  /** Outcomes of the next purchases in {@code country}, before the any-country script. */
  public synchronized InMemoryProvider script(String country, Outcome... outcomes) {
    scripts.computeIfAbsent(key(country), c -> new ArrayDeque<>()).addAll(List.of(outcomes));
    return this;
  }

  /** The price of every number from now on (0.50 unless set). */
  public synchronized InMemoryProvider price(BigDecimal value) {
    this.price = Objects.requireNonNull(value);
    return this;
  }

  public synchronized void setBalance(BigDecimal value) {
    this.balance = value;
  }

  /** Every country a purchase was attempted in, in order (refused ones included). */
  public synchronized List<String> purchaseAttempts() {
    return List.copyOf(purchaseCountries);
  }

  /** The status of a bought number here: WAITING, RECEIVED, FINISHED or CANCELED. */
  public synchronized String status(BoughtNumber number) {
    return line(number).status;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public synchronized BoughtNumber buy(Order order) {
    Reason missed = Reason.NO_NUMBERS;
    for (String country : order.countries()) {
      purchaseCountries.add(key(country));
      Outcome outcome = next(key(country));
      if (outcome instanceof Outcome.Refusal refusal) {
        if (refusal.reason() == Reason.NO_NUMBERS) {
          continue;
        }
        throw new ProviderException(refusal.reason(), name + ": scripted " + refusal.reason(), refusal.retryAfter(), null);
      }
      if (order.maxPrice() != null && price.compareTo(order.maxPrice()) > 0) {
        missed = Reason.PRICE_ABOVE_MAX;
        continue;
      }
      if (balance.compareTo(price) < 0) {
        throw new ProviderException(Reason.NO_BALANCE, name + ": balance " + balance + " below " + price);
      }
      balance = balance.subtract(price);
      BoughtNumber number = new BoughtNumber(name, Integer.toString(nextId), "+1555" + String.format("%07d", nextId),
          key(country), price);
      nextId++;
      lines.put(number.id(), new Line(number, outcome, codeDue(outcome, clock.instant())));
      return number;
    }
    throw new ProviderException(missed, name + ": " + missed + " in " + order.countries());
  }

  /** The scripted price, the same in every country. */
  @Override
  public synchronized Optional<BigDecimal> price(String service, String country) {
    return Optional.of(price);
  }

  @Override
  public String awaitCode(BoughtNumber number, Duration timeout) throws InterruptedException {
    Duration wait;
    synchronized (this) {
      Line line = line(number);
      if (!line.status.equals("WAITING") && !line.status.equals("RECEIVED")) {
        throw new ProviderException(Reason.ENDED, name + ": number " + number.id() + " is " + line.status);
      }
      Instant now = clock.instant();
      Instant deadline = now.plus(timeout);
      Instant until = line.codeDueAt != null && !line.codeDueAt.isAfter(deadline) ? line.codeDueAt : deadline;
      wait = until.isAfter(now) ? Duration.between(now, until) : Duration.ZERO;
    }
    // Outside the lock, so other threads can cancel or buy meanwhile.
    sleeper.sleep(wait);
    synchronized (this) {
      Line line = line(number);
      if (line.codeDueAt != null && !clock.instant().isBefore(line.codeDueAt) && line.status.equals("WAITING")) {
        line.status = "RECEIVED";
      }
      if (line.status.equals("RECEIVED")) {
        return ((Outcome.CodeAfter) line.outcome).code();
      }
      if (!line.status.equals("WAITING")) {
        throw new ProviderException(Reason.ENDED, name + ": number " + number.id() + " was " + line.status);
      }
      throw new ProviderException(Reason.TIMEOUT, name + ": no code for " + number.id() + " within " + timeout);
    }
  }

  @Override
  public synchronized void finish(BoughtNumber number) {
    Line line = line(number);
    if (!line.status.equals("RECEIVED")) {
      throw new ProviderException(Reason.REFUSED, name + ": cannot finish a number that is " + line.status);
    }
    line.status = "FINISHED";
  }

  @Override
  public synchronized void cancel(BoughtNumber number) {
    Line line = line(number);
    if (!line.status.equals("WAITING")) {
      throw new ProviderException(Reason.REFUSED, name + ": cannot cancel a number that is " + line.status);
    }
    line.status = "CANCELED";
    balance = balance.add(line.number.price());
  }

  @Override
  public synchronized void resend(BoughtNumber number) {
    Line line = line(number);
    if (!line.status.equals("RECEIVED")) {
      throw new ProviderException(Reason.REFUSED, name + ": cannot resend to a number that is " + line.status);
    }
    line.status = "WAITING";
    line.codeDueAt = codeDue(line.outcome, clock.instant());
  }

  @Override
  public synchronized BigDecimal balance() {
    return balance;
  }

  private Outcome next(String country) {
    Deque<Outcome> own = scripts.get(country);
    if (own != null && !own.isEmpty()) {
      return own.poll();
    }
    Deque<Outcome> any = scripts.get(ANY_COUNTRY);
    return any != null && !any.isEmpty() ? any.poll() : Outcome.codeAfter(Duration.ZERO, "000000");
  }

  private static Instant codeDue(Outcome outcome, Instant from) {
    return outcome instanceof Outcome.CodeAfter after ? from.plus(after.delay()) : null;
  }

  private Line line(BoughtNumber number) {
    Line line = lines.get(number.id());
    if (line == null || !number.provider().equals(name)) {
      throw new ProviderException(Reason.REFUSED, name + ": no number " + number.id());
    }
    return line;
  }

  private static String key(String country) {
    return country.trim().toLowerCase(Locale.ROOT);
  }
}
