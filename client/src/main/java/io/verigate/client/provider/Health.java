package io.verigate.client.provider;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/**
 * Success per (provider, country, service) over a rolling time window: a success is a code that arrived before the
 * job's deadline; a failure is a number without one, or a purchase refused for want of numbers or of a working
 * provider. Old outcomes fall out of the window, so a route recovers its standing as it works again.
 */
public final class Health {
  /** A route's standing in the window. */
  public record Report(int successes, int failures) {
    public int total() {
      return successes + failures;
    }

    /** Successes as a share of all outcomes; 1 with no outcomes yet (no evidence against it). */
    public double successRate() {
      return total() == 0 ? 1.0 : (double) successes / total();
    }
  }

  private record Key(String provider, String country, String service) {}

  private record Outcome(Instant at, boolean success) {}

  private final Clock clock;
  private final Duration window;
  private final Map<Key, Deque<Outcome>> outcomes = new HashMap<>();

  Health(Clock clock, Duration window) {
    this.clock = clock;
    this.window = window;
  }

  synchronized void record(String provider, String country, String service, boolean success) {
    Deque<Outcome> route = outcomes.computeIfAbsent(new Key(provider, country, service), k -> new ArrayDeque<>());
    route.addLast(new Outcome(clock.instant(), success));
    prune(route);
  }

  public synchronized Report report(String provider, String country, String service) {
    Deque<Outcome> route = outcomes.get(new Key(provider, country, service));
    if (route == null) {
      return new Report(0, 0);
    }
    prune(route);
    int successes = (int) route.stream().filter(Outcome::success).count();
    return new Report(successes, route.size() - successes);
  }

  private void prune(Deque<Outcome> route) {
    Instant oldest = clock.instant().minus(window);
    while (!route.isEmpty() && route.peekFirst().at().isBefore(oldest)) {
      route.removeFirst();
    }
  }
}
