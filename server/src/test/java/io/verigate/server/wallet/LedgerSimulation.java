package io.verigate.server.wallet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.verigate.server.account.Accounts;
import io.verigate.server.account.Actor;
import io.verigate.server.account.Audit;
import io.verigate.server.account.Mode;
import io.verigate.server.system.Database;
import io.verigate.server.system.ErrorCode;
import io.verigate.server.system.Failure;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.LongStream;
import org.jdbi.v3.core.Handle;

/**
 * A seeded random walk over the ledger, checked against a reference model that is simple enough to be
 * obviously right: per wallet, two numbers (posted, held) and the fate of every hold.
 *
 * <p>After each step, for the wallet it touched (and for every wallet at the end of a run): the cached
 * balance, {@link Ledger#recompute} and the model agree (conservation); the available balance is not
 * negative, and NO_BALANCE came exactly when the model said the money was not there; every hold is settled
 * by at most one entry and exactly the way the model settled it, and a second settlement is refused; the POST
 * entries add up to the prices of the holds the model posted (charged only on success). Checking only the
 * touched wallet each step keeps runs fast; an entry misrouted to another wallet still breaks that wallet's
 * recomputed balance by the final check. A failure names its seed and step, so the run can be replayed.
 *
 * <p>Shared by the H2 test and the PostgreSQL IT so that both databases face the very same sequences.
 */
public final class LedgerSimulation {
  /** Operations per seed in the standard runs. */
  public static final int STEPS = 300;
  private static final int WALLETS = 4;
  private static final int HISTORY_LIMIT = 100_000;

  private final Database db;
  private final Ledger ledger;
  private final Accounts accounts;

  public LedgerSimulation(Database db) {
    Clock clock = Clock.systemUTC();
    this.db = db;
    this.ledger = new Ledger(db, clock);
    this.accounts = new Accounts(db, clock, ledger::openWallets, new Audit(db, clock));
  }

  /** The fixed seeds of the standard runs on every database, so a red build is replayed by running it again. */
  public static LongStream seeds() {
    return LongStream.rangeClosed(1, 20);
  }

  /** Runs {@code steps} random operations on fresh wallets; throws an AssertionError naming the seed on any divergence. */
  public void run(long seed, int steps) {
    Run run = new Run(seed);
    for (int step = 1; step <= steps; step++) {
      try {
        run.check(run.step());
      } catch (AssertionError | RuntimeException e) {
        throw diverged(seed, steps, "step " + step + " of " + steps + " (" + run.attempt + ")", e);
      }
    }
    try {
      run.wallets.forEach(run::check);
    } catch (AssertionError | RuntimeException e) {
      throw diverged(seed, steps, "the final check of every wallet", e);
    }
  }

  private static AssertionError diverged(long seed, int steps, String where, Throwable cause) {
    return new AssertionError("ledger simulation diverged: seed " + seed + ", at " + where
        + " -- replay with new LedgerSimulation(db).run(" + seed + "L, " + steps + ")"
        + System.lineSeparator() + cause.getMessage(), cause);
  }

  /** The reference model of one wallet. */
  private static final class ModelWallet {
    final long id;
    long posted;
    long held;

    ModelWallet(long id) {
      this.id = id;
    }

    long available() {
      return posted - held;
    }

    Balance balance() {
      return new Balance(id, Money.ofUnits(posted), Money.ofUnits(held));
    }
  }

  /** A hold in the model; {@code settledBy} stays null while it is pending. */
  private static final class ModelHold {
    final long entryId;
    final ModelWallet wallet;
    final long amount;
    LedgerEntry.Kind settledBy;

    ModelHold(long entryId, ModelWallet wallet, long amount) {
      this.entryId = entryId;
      this.wallet = wallet;
      this.amount = amount;
    }
  }

  private final class Run {
    private final Random random;
    private final List<ModelWallet> wallets = new ArrayList<>();
    private final List<ModelHold> pending = new ArrayList<>();
    private final List<ModelHold> settled = new ArrayList<>();
    /** The operation being applied, for the failure message. */
    private String attempt = "setting up";

    Run(long seed) {
      this.random = new Random(seed);
      for (int i = 0; i < WALLETS; i++) {
        long customer = accounts.createCustomer(Actor.SYSTEM, "ledger-sim-" + seed + "-" + i).id();
        Mode mode = i % 2 == 0 ? Mode.LIVE : Mode.TEST;
        wallets.add(new ModelWallet(db.inTransaction(h -> ledger.walletId(h, customer, mode))));
      }
    }

    /** Applies one random operation to the ledger and the model; returns the wallet it touched. */
    ModelWallet step() {
      int roll = random.nextInt(100);
      if (roll < 12 || pending.isEmpty() && roll < 70) {
        return credit();
      } else if (roll < 15) {
        return topUp();
      } else if (roll < 25) {
        return debit();
      } else if (roll < 55 || pending.isEmpty()) {
        return hold();
      } else if (roll < 90) {
        return settle();
      } else if (!settled.isEmpty()) {
        return settleAgain();
      }
      return hold();
    }

    private ModelWallet credit() {
      ModelWallet w = anyWallet();
      long amount = 1 + random.nextInt(50_000);
      attempt = "credit " + Money.ofUnits(amount) + " to wallet " + w.id;
      db.inTransaction(h -> ledger.credit(h, w.id, Money.ofUnits(amount), "simulated credit"));
      w.posted += amount;
      return w;
    }

    /** A sandbox top-up: credits only when the wallet cannot cover the amount needed. */
    private ModelWallet topUp() {
      ModelWallet w = anyWallet();
      long needed = amountAround(w.available());
      long amount = 1 + random.nextInt(50_000);
      attempt = "top-up of " + Money.ofUnits(amount) + " if below " + Money.ofUnits(needed) + " on wallet " + w.id
          + " with " + Money.ofUnits(w.available()) + " available";
      boolean credited = db.inTransaction(h -> ledger.topUp(h, w.id, Money.ofUnits(needed), Money.ofUnits(amount),
          "simulated top-up"));
      assertThat(credited).as(attempt).isEqualTo(w.available() < needed);
      if (credited) {
        w.posted += amount;
      }
      return w;
    }

    private ModelWallet debit() {
      ModelWallet w = anyWallet();
      long amount = amountAround(w.available());
      attempt = "debit " + Money.ofUnits(amount) + " from wallet " + w.id + " with " + Money.ofUnits(w.available())
          + " available";
      if (amount > w.available()) {
        assertRefusedForBalance(() -> db.inTransaction(h -> ledger.debit(h, w.id, Money.ofUnits(amount), "simulated debit")));
        return w;
      }
      db.inTransaction(h -> ledger.debit(h, w.id, Money.ofUnits(amount), "simulated debit"));
      w.posted -= amount;
      return w;
    }

    private ModelWallet hold() {
      ModelWallet w = anyWallet();
      long amount = amountAround(w.available());
      attempt = "hold " + Money.ofUnits(amount) + " on wallet " + w.id + " with " + Money.ofUnits(w.available())
          + " available";
      if (amount > w.available()) {
        assertRefusedForBalance(() -> db.inTransaction(h -> ledger.hold(h, w.id, Money.ofUnits(amount), "simulated hold")));
        return w;
      }
      long entryId = db.inTransaction(h -> ledger.hold(h, w.id, Money.ofUnits(amount), "simulated hold").id());
      w.held += amount;
      pending.add(new ModelHold(entryId, w, amount));
      return w;
    }

    /** Posts, voids or expires one pending hold, the way a finish, cancel or expiry would. */
    private ModelWallet settle() {
      ModelHold hold = pending.remove(random.nextInt(pending.size()));
      LedgerEntry.Kind outcome = anyOutcome();
      attempt = outcome + " of hold " + hold.entryId + " (" + Money.ofUnits(hold.amount) + ") on wallet " + hold.wallet.id;
      db.inTransaction(h -> settle(h, hold.entryId, outcome));
      hold.settledBy = outcome;
      hold.wallet.held -= hold.amount;
      if (outcome == LedgerEntry.Kind.POST) {
        hold.wallet.posted -= hold.amount;
      }
      settled.add(hold);
      return hold.wallet;
    }

    /** A second settlement of any kind must be refused and leave no trace. */
    private ModelWallet settleAgain() {
      ModelHold hold = settled.get(random.nextInt(settled.size()));
      LedgerEntry.Kind outcome = anyOutcome();
      attempt = outcome + " of hold " + hold.entryId + " again, after " + hold.settledBy;
      assertThatThrownBy(() -> db.inTransaction(h -> settle(h, hold.entryId, outcome)))
          .as("a second settlement of hold %d", hold.entryId)
          .isInstanceOf(RuntimeException.class);
      return hold.wallet;
    }

    private Void settle(Handle h, long holdId, LedgerEntry.Kind outcome) {
      switch (outcome) {
        case POST -> ledger.post(h, holdId, "simulated success");
        case VOID -> ledger.release(h, holdId, "simulated cancel");
        case EXPIRE -> ledger.expire(h, holdId, "simulated expiry");
        default -> throw new IllegalArgumentException(outcome + " does not settle a hold");
      }
      return null;
    }

    /** Checks every invariant of one wallet against the model. */
    void check(ModelWallet w) {
      db.withHandle(h -> {
        Balance cached = ledger.balance(h, w.id);
        assertThat(cached).as("cached balance of wallet %d", w.id).isEqualTo(w.balance());
        assertThat(ledger.recompute(h, w.id)).as("balance of wallet %d recomputed from its entries", w.id)
            .isEqualTo(w.balance());
        assertThat(cached.available().isNegative()).as("available balance of wallet %d is negative", w.id).isFalse();
        checkSettlements(ledger.history(h, w.id, Long.MAX_VALUE, HISTORY_LIMIT), w);
        return null;
      });
    }

    private void checkSettlements(List<LedgerEntry> entries, ModelWallet w) {
      Map<Long, LedgerEntry.Kind> settlements = new HashMap<>();
      long postedAmount = 0;
      for (LedgerEntry e : entries) {
        if (e.resolvesHold() != null) {
          LedgerEntry.Kind previous = settlements.put(e.resolvesHold(), e.kind());
          assertThat(previous).as("hold %d settled twice (%s, then %s)", e.resolvesHold(), previous, e.kind()).isNull();
        }
        if (e.kind() == LedgerEntry.Kind.POST) {
          postedAmount += e.amount().units();
        }
      }
      Map<Long, LedgerEntry.Kind> expected = new HashMap<>();
      long charged = 0;
      for (ModelHold hold : settled) {
        if (hold.wallet == w) {
          expected.put(hold.entryId, hold.settledBy);
          charged += hold.settledBy == LedgerEntry.Kind.POST ? hold.amount : 0;
        }
      }
      assertThat(settlements).as("settlements recorded for wallet %d", w.id).isEqualTo(expected);
      assertThat(postedAmount).as("sum of POST entries of wallet %d (the prices of posted holds)", w.id).isEqualTo(charged);
    }

    private void assertRefusedForBalance(Runnable operation) {
      assertThatThrownBy(operation::run)
          .isInstanceOfSatisfying(Failure.class, f -> assertThat(f.code()).isEqualTo(ErrorCode.NO_BALANCE));
    }

    /** Mostly random, often exactly the available balance or one unit over it, where off-by-one bugs live. */
    private long amountAround(long available) {
      int roll = random.nextInt(10);
      if (roll < 2 && available > 0) {
        return available;
      }
      if (roll < 3) {
        return available + 1;
      }
      return 1 + random.nextInt(30_000);
    }

    private ModelWallet anyWallet() {
      return wallets.get(random.nextInt(wallets.size()));
    }

    private LedgerEntry.Kind anyOutcome() {
      LedgerEntry.Kind[] outcomes = {LedgerEntry.Kind.POST, LedgerEntry.Kind.VOID, LedgerEntry.Kind.EXPIRE};
      return outcomes[random.nextInt(outcomes.length)];
    }
  }
}
