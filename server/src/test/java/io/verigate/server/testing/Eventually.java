package io.verigate.server.testing;

import java.time.Duration;
import java.util.function.Supplier;

/** Waiting for what a node does on its own threads (sweeps, binds), without a fixed sleep. */
public final class Eventually {
  private static final Duration PATIENCE = Duration.ofSeconds(20);

  private Eventually() {}

  /** Polls until the condition holds; fails, naming what was awaited, once the patience runs out. */
  public static void eventually(String what, Supplier<Boolean> condition) {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    while (!condition.get()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within " + PATIENCE + ": " + what);
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }
}
