package io.verigate.server.testing;

import java.time.Duration;
import java.util.function.Predicate;
import java.util.function.Supplier;

/** Waiting for what a node does on its own threads (sweeps, binds, other nodes' events), without a fixed sleep. */
public final class Eventually {
  private static final Duration PATIENCE = Duration.ofSeconds(20);

  private Eventually() {}

  /** Polls until the condition holds; fails, naming what was awaited, once the patience runs out. */
  public static void eventually(String what, Supplier<Boolean> condition) {
    within(PATIENCE, what, condition, Boolean::booleanValue);
  }

  /**
   * Reads until a value passes the test and returns it; fails, naming what was awaited and the last value read, when
   * none did within the patience.
   */
  public static <T> T within(Duration patience, String what, Supplier<T> read, Predicate<T> passes) {
    long deadline = System.nanoTime() + patience.toNanos();
    T value = read.get();
    while (!passes.test(value)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within " + patience + ": " + what + "; last read: " + value);
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
      value = read.get();
    }
    return value;
  }
}
