package io.verigate.server.inbound.smpp;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * How long a link waits before it binds again: doubling from {@code initial} up to {@code cap}, each wait drawn
 * between half the step and the whole of it. The jitter keeps the links of a node, and the nodes of a cluster, from
 * knocking on a recovering SMSC in step; the lower half keeps a link from retrying in a tight loop.
 */
final class Backoff {
  private final Duration initial;
  private final Duration cap;
  private final RandomGenerator random;
  private int failures;

  Backoff(Duration initial, Duration cap, RandomGenerator random) {
    this.initial = initial;
    this.cap = cap;
    this.random = random;
  }

  Duration next() {
    long capped = Math.min(initial.toMillis() << Math.min(failures, 30), cap.toMillis());
    failures++;
    long half = capped / 2;
    return Duration.ofMillis(half + random.nextLong(capped - half + 1));
  }

  /** A bind succeeded: the next drop is met with a quick retry again. */
  void reset() {
    failures = 0;
  }
}
