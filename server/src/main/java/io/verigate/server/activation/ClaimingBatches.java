package io.verigate.server.activation;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.verigate.server.system.Database;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.jdbi.v3.core.Handle;

/**
 * Gathers concurrent purchases that claim from the same numbers into one transaction, so that one statement and one
 * commit open several of them. On PostgreSQL most of a claiming purchase's cost is fixed per statement (starting the
 * executor for its plan, the round trip, the commit's flush), not per row, and a busy node has purchases waiting for
 * a pooled connection anyway.
 *
 * <p>A purchase joins the queue of its key and waits for its turn at a pooled connection. Whoever gets a turn takes
 * everything queued under that key, up to {@link #MOST}, runs it as one batch and hands each purchase its outcome. A
 * purchase that another turn took waits for that outcome, or, when its own turn comes first, takes whatever queued
 * since. On an idle node a purchase finds only itself in the queue, and nothing waits that would not have waited for
 * a connection anyway.
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
  private final Opener<R, O> opener;
  /**
   * The queue of each key. Evicting one is harmless, since each purchase keeps its own queue and leads its turns
   * there until it is taken; the bound keeps a client who varies its keys from growing the map.
   */
  private final Cache<Object, Queue<Waiting<R, O>>> queues = Caffeine.newBuilder().maximumSize(1024).build();

  ClaimingBatches(Database db, Opener<R, O> opener) {
    this.db = db;
    this.opener = opener;
  }

  /** A queued purchase: taken by one turn, then completed with its outcome or its batch's failure. */
  private static final class Waiting<R, O> {
    final R purchase;
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
    Queue<Waiting<R, O>> queue = queues.get(key, k -> new ConcurrentLinkedQueue<>());
    Waiting<R, O> mine = new Waiting<>(purchase);
    queue.add(mine);
    while (!mine.taken) {
      try {
        lead(queue);
      } catch (RuntimeException noTurn) {
        if (queue.remove(mine)) {
          throw noTurn;
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
   * Takes a turn at a connection and runs what is queued by then. Throws only when no turn was to be had (the
   * database is unreachable, its pool's wait ran out); a batch's own failure goes to its purchases.
   */
  private void lead(Queue<Waiting<R, O>> queue) {
    List<Waiting<R, O>> batch = new ArrayList<>();
    List<O> outcomes;
    try {
      outcomes = db.inTransaction(h -> {
        for (Waiting<R, O> next; batch.size() < MOST && (next = queue.poll()) != null; ) {
          next.taken = true;
          batch.add(next);
        }
        return batch.isEmpty() ? List.<O>of() : opener.open(h, batch.stream().map(w -> w.purchase).toList());
      });
    } catch (RuntimeException | Error e) {
      if (batch.isEmpty()) {
        throw e;
      }
      batch.forEach(waiting -> waiting.outcome.completeExceptionally(e));
      return;
    }
    for (int i = 0; i < batch.size(); i++) {
      batch.get(i).outcome.complete(outcomes.get(i));
    }
  }
}
