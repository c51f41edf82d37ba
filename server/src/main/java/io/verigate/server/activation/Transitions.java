package io.verigate.server.activation;

import io.verigate.server.system.Database;
import io.verigate.server.system.Failure;
import io.verigate.server.wallet.BalanceMoves;
import io.verigate.server.wallet.Ledger;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.jdbi.v3.core.Handle;

/**
 * Moves activations of one kind (SMS or email) from state to state in transactions, with their money: a customer's
 * action on one of them, and the expiry sweep over all whose lifetime is over. An activation's balance changes are
 * kept in {@link BalanceMoves} and written once per wallet shard at the end of the transaction, in lock order, so
 * shards stay locked only for that end and two transactions never wait for each other's shards in a cycle.
 *
 * @param <T> the activation type
 */
public final class Transitions<T extends Lifetime<T>> {
  static final int SWEEP_BATCH = 200;

  /** Where the activations live. */
  public interface Store<T> {
    /** The activation, locked until the transaction ends. */
    Optional<T> lock(Handle h, int id);

    /** Locks up to {@code limit} activations due at {@code now}, skipping rows other nodes hold where the database can. */
    List<T> lockDue(Handle h, Instant now, int limit);

    /**
     * Writes {@code after} in place of {@code before} (nothing when they are equal) with its event, keeping its balance
     * change in {@code moves}; returns {@code after}.
     */
    T settle(Handle h, T before, T after, BalanceMoves moves);
  }

  /** A customer's action at one moment: the next state, or a {@link Failure} refusing it. */
  @FunctionalInterface
  public interface Action<T> {
    T apply(T activation, Instant now);
  }

  private record Outcome<T>(T before, T after, Failure refused) {}

  private record SweptBatch<T>(int claimed, List<T> ended) {}

  private final Database db;
  private final Ledger ledger;
  private final Store<T> store;
  private final Consumer<T> changed;

  /** {@code changed} hears of each activation a committed transaction changed. */
  public Transitions(Database db, Ledger ledger, Store<T> store, Consumer<T> changed) {
    this.db = db;
    this.ledger = ledger;
    this.store = store;
    this.changed = changed;
  }

  /**
   * Applies a customer's action to the activation {@code id}, refused with {@code notFound} unless {@code owned}. One
   * whose lifetime is over is settled first and stays settled even when the action is then refused, so the refusal and
   * the state the customer reads next agree.
   */
  public T apply(int id, Predicate<T> owned, Supplier<Failure> notFound, Instant now, Action<T> action) {
    Outcome<T> outcome = db.inTransaction(h -> {
      T before = store.lock(h, id).filter(owned).orElseThrow(notFound);
      BalanceMoves moves = new BalanceMoves();
      T current = store.settle(h, before, before.asOf(now), moves);
      Outcome<T> result;
      try {
        result = new Outcome<>(before, store.settle(h, current, action.apply(current, now), moves), null);
      } catch (Failure refused) {
        result = new Outcome<>(before, current, refused);
      }
      ledger.apply(h, moves);
      return result;
    });
    if (!outcome.after().equals(outcome.before())) {
      changed.accept(outcome.after());
    }
    if (outcome.refused() != null) {
      throw outcome.refused();
    }
    return outcome.after();
  }

  /**
   * Ends every activation whose lifetime is over at {@code now}; returns how many it ended. It works through them a
   * batch per transaction until none is left, so no backlog outlives one run. Several nodes may sweep at once: on
   * PostgreSQL a batch skips the rows another node has claimed; elsewhere it waits for them, and each row is checked
   * again once locked, as another node may have settled it meanwhile.
   */
  public int sweep(Instant now) {
    int ended = 0;
    SweptBatch<T> batch;
    do {
      batch = db.inTransaction(h -> sweepBatch(h, now));
      batch.ended().forEach(changed);
      ended += batch.ended().size();
    } while (batch.claimed() == SWEEP_BATCH);
    return ended;
  }

  private SweptBatch<T> sweepBatch(Handle h, Instant now) {
    List<T> claimed = store.lockDue(h, now, SWEEP_BATCH);
    BalanceMoves moves = new BalanceMoves();
    List<T> ended = claimed.stream()
        .filter(a -> a.isDue(now))
        .map(a -> store.settle(h, a, a.endLifetime(now), moves))
        .toList();
    ledger.apply(h, moves);
    return new SweptBatch<>(claimed.size(), ended);
  }
}
