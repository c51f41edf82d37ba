package io.verigate.server.activation;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.verigate.server.system.Database;
import io.verigate.server.system.ErrorCode;
import io.verigate.server.system.Failure;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.locks.LockSupport;
import org.jdbi.v3.core.Handle;

/**
 * Gathers concurrent purchases that claim from the same numbers into one transaction, so that one statement and one
 * commit open several of them. On PostgreSQL most of a claiming purchase's cost is fixed per statement (starting the
 * executor for its plan, the round trip, the commit's flush), not per row.
 *
 * <p>A purchase joins the queue of its key. When fewer than {@code leaders} batches of that key are running, it leads
 * one: it takes a turn at a pooled connection and takes everything queued by then, up to {@link #MOST}, itself
 * included, and hands each purchase its outcome. Otherwise it waits, until a batch takes it or a leader that finished
 * sees it first in the queue and wakes it to lead. On an idle node a purchase finds only itself in the queue, and
 * leads it at once. A purchase that a batch took never waits for a connection of its own, so it answers as soon as
 * its batch committed.
 *
 * @param <R> a purchase to make
 * @param <O> what became of it
 */
final class ClaimingBatches<R, O> {
  /** The most purchases one batch takes. */
  static final int MOST = 16;

  /** Opens a batch in the transaction of a turn: one outcome per purchase, in order. */
  @FunctionalInterface
  interface Opener<R, O> {
    List<O> open(Handle h, List<R> batch);
  }

  private final Database db;
  private final int leaders;
  private final Opener<R, O> opener;
  /**
   * The lane of each key. Evicting one is harmless, since each purchase keeps its own lane and leads batches there
   * until one takes it; the bound keeps a client who varies its keys from growing the map.
   */
  private final Cache<Object, Lane<R, O>> lanes = Caffeine.newBuilder().maximumSize(1024).build();

  /** {@code leaders}: how many batches of one key may run at once. */
  ClaimingBatches(Database db, int leaders, Opener<R, O> opener) {
    this.db = db;
    this.leaders = leaders;
    this.opener = opener;
  }

  /** The purchases queued under one key, and the batches of them that may still start. */
  private static final class Lane<R, O> {
    final Queue<Waiting<R, O>> queued = new ConcurrentLinkedQueue<>();
    final Semaphore leading;

    Lane(int leaders) {
      leading = new Semaphore(leaders);
    }
  }

  /** A queued purchase: taken by one batch, then completed with its outcome or its batch's failure. */
  private static final class Waiting<R, O> {
    final R purchase;
    final Thread buyer = Thread.currentThread();
    volatile boolean taken;
    final CompletableFuture<O> outcome = new CompletableFuture<>();

    Waiting(R purchase) {
      this.purchase = purchase;
    }
  }

  /**
   * Makes the purchase in a batch with the others queued under {@code key}. A failure of its batch is its own: the
   * batch's writes are one statement, and nothing of them was committed.
   */
  O purchase(Object key, R purchase) {
    Lane<R, O> lane = lanes.get(key, k -> new Lane<>(leaders));
    Waiting<R, O> mine = new Waiting<>(purchase);
    lane.queued.add(mine);
    while (!mine.taken) {
      if (lane.leading.tryAcquire()) {
        try {
          lead(lane);
        } finally {
          lane.leading.release();
          Waiting<R, O> next = lane.queued.peek();
          if (next != null) {
            LockSupport.unpark(next.buyer);
          }
        }
      } else {
        LockSupport.park(this);
        if (Thread.currentThread().isInterrupted() && lane.queued.remove(mine)) {
          // Parking returns at once while the interrupt stands; a purchase no batch took yet can just leave.
          throw new Failure(ErrorCode.SERVICE_UNAVAILABLE, "the purchase was interrupted before it started");
        }
      }
    }
    try {
      return mine.outcome.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException failure) {
        throw failure;
      }
      if (e.getCause() instanceof Error error) {
        throw error;
      }
      throw e;
    }
  }

  /**
   * Takes a turn at a connection and runs what is queued by then. When no turn was to be had (the database is
   * unreachable, the pool's wait ran out), every purchase queued fails with it: each would have waited as long.
   */
  private void lead(Lane<R, O> lane) {
    List<Waiting<R, O>> batch = new ArrayList<>();
    try {
      List<O> outcomes = db.inTransaction(h -> {
        take(lane, batch, MOST);
        return batch.isEmpty() ? List.<O>of() : opener.open(h, batch.stream().map(w -> w.purchase).toList());
      });
      for (int i = 0; i < batch.size(); i++) {
        batch.get(i).outcome.complete(outcomes.get(i));
      }
    } catch (RuntimeException | Error e) {
      if (batch.isEmpty()) {
        take(lane, batch, Integer.MAX_VALUE);
      }
      batch.forEach(waiting -> waiting.outcome.completeExceptionally(e));
    }
  }

  /** Takes up to {@code most} queued purchases into {@code batch}; their buyers go on to wait for the outcome. */
  private static <R, O> void take(Lane<R, O> lane, List<Waiting<R, O>> batch, int most) {
    for (Waiting<R, O> next; batch.size() < most && (next = lane.queued.poll()) != null; ) {
      next.taken = true;
      batch.add(next);
      if (next.buyer != Thread.currentThread()) {
        LockSupport.unpark(next.buyer);
      }
    }
  }
}
