package io.verigate.server.activation;

import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Long polls parked until their activation changes. A poll registers before it reads the state it waits on, so a
 * change committed between the read and the wait still wakes it. A woken poll reads again on a thread of its own,
 * never on the thread that made the change (a request, or the thread that hears other nodes' events). Email
 * activations park their polls in one of their own.
 */
public final class Waiters {
  private final ConcurrentHashMap<Integer, Set<CompletableFuture<Void>>> byActivation = new ConcurrentHashMap<>();
  private final ExecutorService readers;

  public Waiters() {
    AtomicInteger n = new AtomicInteger();
    this.readers = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "verigate-long-poll-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
  }

  /** A future that completes at the activation's next change; cancel it when no longer waiting. */
  public CompletableFuture<Void> nextChange(int activationId) {
    CompletableFuture<Void> waiter = new CompletableFuture<>();
    byActivation.compute(activationId, (id, waiting) -> {
      Set<CompletableFuture<Void>> set = waiting == null ? ConcurrentHashMap.newKeySet() : waiting;
      set.add(waiter);
      return set;
    });
    waiter.whenComplete((ignored, cancelled) -> forget(activationId, waiter));
    return waiter;
  }

  public void wake(int activationId) {
    Set<CompletableFuture<Void>> waiting = byActivation.remove(activationId);
    if (waiting != null) {
      waiting.forEach(waiter -> waiter.complete(null));
    }
  }

  /** Changes may have been missed: every poll reads again. */
  public void wakeAll() {
    byActivation.keySet().forEach(this::wake);
  }

  /** How many polls are parked now. */
  public int parked() {
    return byActivation.values().stream().mapToInt(Set::size).sum();
  }

  public ExecutorService readers() {
    return readers;
  }

  private void forget(int activationId, CompletableFuture<Void> waiter) {
    byActivation.computeIfPresent(activationId, (id, waiting) -> {
      waiting.remove(waiter);
      return waiting.isEmpty() ? null : waiting;
    });
  }
}
