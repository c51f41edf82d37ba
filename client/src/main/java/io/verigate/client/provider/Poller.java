package io.verigate.client.provider;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Polls a provider that has no long poll: the first check at once, then every 3 s growing by half up to 15 s, so a
 * quick code is seen quickly and a slow one costs few requests. A {@code RATE_LIMITED} check waits at least the
 * provider's {@code Retry-After} before the next; other failures end the wait.
 */
public final class Poller {
  static final Duration FIRST_INTERVAL = Duration.ofSeconds(3);
  static final Duration LONGEST_INTERVAL = Duration.ofSeconds(15);

  /** One look at the number: its current code, or empty while it is still waiting. */
  @FunctionalInterface
  public interface Check {
    Optional<String> code();
  }

  private final Clock clock;
  private final Sleeper sleeper;

  public Poller(Clock clock, Sleeper sleeper) {
    this.clock = Objects.requireNonNull(clock, "clock");
    this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
  }

  /** The code, or {@code TIMEOUT} once {@code timeout} has passed without one. */
  public String await(Duration timeout, Check check) throws InterruptedException {
    Instant deadline = clock.instant().plus(timeout);
    Duration interval = FIRST_INTERVAL;
    while (true) {
      Duration wait = interval;
      try {
        Optional<String> code = check.code();
        if (code.isPresent()) {
          return code.get();
        }
      } catch (ProviderException e) {
        if (e.reason() != ProviderException.Reason.RATE_LIMITED) {
          throw e;
        }
        Duration asked = e.retryAfter().orElse(Duration.ZERO);
        wait = asked.compareTo(interval) > 0 ? asked : interval;
      }
      Duration left = Duration.between(clock.instant(), deadline);
      if (left.isNegative() || left.isZero()) {
        throw new ProviderException(ProviderException.Reason.TIMEOUT, "no code within " + timeout);
      }
      sleeper.sleep(wait.compareTo(left) < 0 ? wait : left);
      interval = next(interval);
    }
  }

  static Duration next(Duration interval) {
    Duration grown = interval.plus(interval.dividedBy(2));
    return grown.compareTo(LONGEST_INTERVAL) < 0 ? grown : LONGEST_INTERVAL;
  }
}
