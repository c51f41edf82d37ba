package io.verigate.server.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/** Calls made on threads of their own, all released at one moment: for tests of what concurrent callers get. */
public final class AtOnce {
  private AtOnce() {}

  /** Calls 0 to {@code count - 1}, all started at once: in order, what each returned or the exception it threw. */
  public static List<Object> outcomes(int count, IntFunction<?> call) throws Exception {
    ExecutorService threads = Executors.newFixedThreadPool(count);
    CountDownLatch start = new CountDownLatch(1);
    try {
      List<Future<Object>> outcomes = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        int n = i;
        outcomes.add(threads.submit(() -> {
          start.await();
          try {
            return call.apply(n);
          } catch (RuntimeException e) {
            return e;
          }
        }));
      }
      start.countDown();
      List<Object> done = new ArrayList<>();
      for (Future<Object> outcome : outcomes) {
        done.add(outcome.get(60, TimeUnit.SECONDS));
      }
      return done;
    } finally {
      threads.shutdownNow();
    }
  }
}
