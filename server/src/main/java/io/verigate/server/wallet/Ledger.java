package io.verigate.server.wallet;

import io.verigate.server.account.Mode;
import io.verigate.server.system.Database;
import io.verigate.server.system.ErrorCode;
import io.verigate.server.system.Failure;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

/**
 * The append-only wallet ledger with two-phase holds. Every method runs inside the caller's transaction so
 * that a hold commits or rolls back together with the activation it pays for.
 *
 * <p>The cached {@code wallet} row moves in the same transaction as the entries; the database refuses a negative
 * available balance, and the conditional update in {@link #reserve} makes the balance check and the reservation one
 * atomic step under concurrency. Writing that row locks it until commit, and one customer's concurrent purchases all
 * write it, so every method here writes its entries first and the wallet row last: a transaction that ends with the
 * wallet update holds the lock only for its commit.
 */
public final class Ledger {
  private final Database db;
  private final Clock clock;
  /** Wallet ids never change once opened, so each is read from the database once per node. */
  private final Map<WalletKey, Long> walletIds = new ConcurrentHashMap<>();

  private record WalletKey(long customerId, Mode mode) {}

  public Ledger(Database db, Clock clock) {
    this.db = db;
    this.clock = clock;
  }

  /**
   * Opens a new customer's wallets, one per mode, in the transaction that creates the customer: a wallet exists before
   * its first use, so concurrent first purchases never race to create it.
   */
  public void openWallets(Handle h, long customerId) {
    for (Mode mode : Mode.values()) {
      h.createUpdate("INSERT INTO wallet (customer_id, mode) VALUES (:c, :m)")
          .bind("c", customerId).bind("m", mode.sqlName()).execute();
    }
  }

  /** The wallet of this customer in this mode; every customer has one per mode from its creation on. */
  public long walletId(Handle h, long customerId, Mode mode) {
    WalletKey key = new WalletKey(customerId, mode);
    Long known = walletIds.get(key);
    if (known != null) {
      return known;
    }
    long id = h.createQuery("SELECT id FROM wallet WHERE customer_id = :c AND mode = :m")
        .bind("c", customerId).bind("m", mode.sqlName()).mapTo(Long.class).findOne()
        .orElseThrow(() -> new IllegalStateException("customer " + customerId + " has no " + mode + " wallet"));
    walletIds.put(key, id);
    return id;
  }

  public Balance balance(Handle h, long walletId) {
    return h.createQuery("SELECT id, posted, held FROM wallet WHERE id = :w")
        .bind("w", walletId)
        .map((rs, ctx) -> new Balance(rs.getLong("id"), Money.ofUnits(rs.getLong("posted")),
            Money.ofUnits(rs.getLong("held"))))
        .one();
  }

  public long credit(Handle h, long walletId, Money amount, String memo) {
    requirePositive(amount);
    long entry = insert(h, walletId, LedgerEntry.Kind.CREDIT, amount, null, memo);
    h.createUpdate("UPDATE wallet SET posted = posted + :a WHERE id = :w")
        .bind("a", amount.units()).bind("w", walletId).execute();
    return entry;
  }

  /** Takes money out of the available balance for good (an operator correction). */
  public long debit(Handle h, long walletId, Money amount, String memo) {
    requirePositive(amount);
    long entry = insert(h, walletId, LedgerEntry.Kind.DEBIT, amount, null, memo);
    int updated = h.createUpdate("UPDATE wallet SET posted = posted - :a WHERE id = :w AND posted - held >= :a")
        .bind("a", amount.units()).bind("w", walletId).execute();
    if (updated == 0) {
      throw new Failure(ErrorCode.NO_BALANCE, "available balance is below " + amount);
    }
    return entry;
  }

  /** A hold whose entry is written and whose amount is not yet taken out of the available balance. */
  public record PendingHold(long id, long walletId, Money amount) {}

  /**
   * Writes a hold's entry and nothing else, so the caller can do the rest of its transaction before it locks the
   * wallet row with {@link #reserve}, which must follow in the same transaction: an entry whose reservation never ran
   * would leave the cached balance different from the sum of the entries.
   */
  public PendingHold openHold(Handle h, long walletId, Money amount, String memo) {
    requirePositive(amount);
    return new PendingHold(insert(h, walletId, LedgerEntry.Kind.HOLD, amount, null, memo), walletId, amount);
  }

  /** Takes a pending hold's amount out of the available balance; refused with NO_BALANCE when it is smaller. */
  public void reserve(Handle h, PendingHold hold) {
    if (!tryReserve(h, hold)) {
      throw new Failure(ErrorCode.NO_BALANCE, "available balance is below the price " + hold.amount());
    }
  }

  /**
   * {@link #reserve} as the last statement of the caller's transaction, which it commits: the wallet row, the lock all
   * of a customer's purchases share, is then held only while the database commits (see
   * {@link Database#executeLast}). The database's own check that the available balance never goes negative refuses
   * a reservation the balance cannot cover.
   */
  public void reserveAndCommit(Handle h, PendingHold hold) {
    try {
      db.executeLast(h, "UPDATE wallet SET held = held + :a WHERE id = :w",
          update -> update.bind("a", hold.amount().units()).bind("w", hold.walletId()));
    } catch (UnableToExecuteStatementException e) {
      if (Database.violatesCheck(e)) {
        throw new Failure(ErrorCode.NO_BALANCE, "available balance is below the price " + hold.amount());
      }
      throw e;
    }
  }

  /** {@link #reserve}, answering false instead of refusing. */
  public boolean tryReserve(Handle h, PendingHold hold) {
    return h.createUpdate("UPDATE wallet SET held = held + :a WHERE id = :w AND posted - held >= :a")
        .bind("a", hold.amount().units()).bind("w", hold.walletId()).execute() == 1;
  }

  /** Reserves {@code amount} at once; refused with NO_BALANCE when the available balance is smaller. */
  public long hold(Handle h, long walletId, Money amount, String memo) {
    PendingHold hold = openHold(h, walletId, amount, memo);
    reserve(h, hold);
    return hold.id();
  }

  /**
   * Credits {@code amount} when the available balance is below {@code needed}, in one conditional update: of a burst
   * of callers, the first funds the wallet and the others, re-reading the row once its lock is free, find the money.
   * Returns whether it credited; when it did, the wallet row stays locked by the caller's transaction. (A plain
   * {@code SELECT ... FOR UPDATE} would deadlock with transactions whose ledger entries hold a key-share lock on it.)
   */
  public boolean topUp(Handle h, long walletId, Money needed, Money amount, String memo) {
    requirePositive(amount);
    int credited = h.createUpdate("UPDATE wallet SET posted = posted + :a WHERE id = :w AND posted - held < :needed")
        .bind("a", amount.units()).bind("w", walletId).bind("needed", needed.units()).execute();
    if (credited == 1) {
      insert(h, walletId, LedgerEntry.Kind.CREDIT, amount, null, memo);
    }
    return credited == 1;
  }

  public void post(Handle h, long holdId, String memo) {
    resolveNow(h, holdId, LedgerEntry.Kind.POST, memo);
  }

  public void release(Handle h, long holdId, String memo) {
    resolveNow(h, holdId, LedgerEntry.Kind.VOID, memo);
  }

  public void expire(Handle h, long holdId, String memo) {
    resolveNow(h, holdId, LedgerEntry.Kind.EXPIRE, memo);
  }

  /**
   * Resolves a hold ({@code POST}, {@code VOID} or {@code EXPIRE}): writes the entry now and adds its balance change
   * to {@code moves}, which the caller must {@link #apply} before its transaction commits. The unique
   * {@code resolves_hold} column refuses a second resolution; callers guard state transitions first, so meeting it is
   * a bug, not a user error.
   */
  public void resolve(Handle h, long holdId, LedgerEntry.Kind outcome, String memo, BalanceMoves moves) {
    if (outcome != LedgerEntry.Kind.POST && outcome != LedgerEntry.Kind.VOID && outcome != LedgerEntry.Kind.EXPIRE) {
      throw new IllegalArgumentException(outcome + " does not resolve a hold");
    }
    record Hold(long walletId, long amount) {}
    Hold hold = h.createQuery("SELECT wallet_id, amount FROM ledger_entry WHERE id = :id AND kind = 'HOLD'")
        .bind("id", holdId)
        .map((rs, ctx) -> new Hold(rs.getLong("wallet_id"), rs.getLong("amount")))
        .findOne()
        .orElseThrow(() -> new IllegalStateException("ledger entry " + holdId + " is not a hold"));
    insert(h, hold.walletId, outcome, Money.ofUnits(hold.amount), holdId, memo);
    moves.add(hold.walletId, outcome == LedgerEntry.Kind.POST ? -hold.amount : 0, -hold.amount);
  }

  /** Writes the kept-back balance changes: one update per wallet, in wallet id order. */
  public void apply(Handle h, BalanceMoves moves) {
    for (Map.Entry<Long, long[]> move : moves.inWalletOrder()) {
      h.createUpdate("UPDATE wallet SET posted = posted + :p, held = held + :h WHERE id = :w")
          .bind("p", move.getValue()[0]).bind("h", move.getValue()[1]).bind("w", move.getKey()).execute();
    }
  }

  private void resolveNow(Handle h, long holdId, LedgerEntry.Kind outcome, String memo) {
    BalanceMoves moves = new BalanceMoves();
    resolve(h, holdId, outcome, memo, moves);
    apply(h, moves);
  }

  /** Newest first; {@code beforeId} pages backwards (use {@link Long#MAX_VALUE} for the first page). */
  public List<LedgerEntry> history(Handle h, long walletId, long beforeId, int limit) {
    return h.createQuery("SELECT id, wallet_id, kind, amount, resolves_hold, memo, created_at FROM ledger_entry "
            + "WHERE wallet_id = :w AND id < :before ORDER BY id DESC LIMIT :limit")
        .bind("w", walletId).bind("before", beforeId).bind("limit", limit)
        .map((rs, ctx) -> new LedgerEntry(rs.getLong("id"), rs.getLong("wallet_id"),
            LedgerEntry.Kind.valueOf(rs.getString("kind")), Money.ofUnits(rs.getLong("amount")),
            (Long) rs.getObject("resolves_hold", Long.class), rs.getString("memo"),
            rs.getObject("created_at", java.time.OffsetDateTime.class).toInstant()))
        .list();
  }

  /**
   * Recomputes a wallet's balances from its entries. Equal to {@link #balance} whenever the ledger is
   * sound: tests use it as the oracle, operators as a reconciliation check.
   */
  public Balance recompute(Handle h, long walletId) {
    return h.createQuery("SELECT "
            + "COALESCE(SUM(CASE WHEN e.kind = 'CREDIT' THEN e.amount WHEN e.kind IN ('DEBIT', 'POST') THEN -e.amount ELSE 0 END), 0) AS posted, "
            + "COALESCE(SUM(CASE WHEN e.kind = 'HOLD' THEN e.amount WHEN e.kind IN ('POST', 'VOID', 'EXPIRE') THEN -e.amount ELSE 0 END), 0) AS held "
            + "FROM ledger_entry e WHERE e.wallet_id = :w")
        .bind("w", walletId)
        .map((rs, ctx) -> new Balance(walletId, Money.ofUnits(rs.getLong("posted")), Money.ofUnits(rs.getLong("held"))))
        .one();
  }

  private long insert(Handle h, long walletId, LedgerEntry.Kind kind, Money amount, Long resolvesHold, String memo) {
    return h.createUpdate("INSERT INTO ledger_entry (wallet_id, kind, amount, resolves_hold, memo, created_at) "
            + "VALUES (:w, :k, :a, :r, :m, :t)")
        .bind("w", walletId).bind("k", kind.name()).bind("a", amount.units()).bind("r", resolvesHold)
        .bind("m", memo).bind("t", java.time.OffsetDateTime.now(clock))
        .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
  }

  private static void requirePositive(Money amount) {
    if (amount.units() <= 0) {
      throw new Failure(ErrorCode.BAD_REQUEST, "amount must be greater than zero");
    }
  }
}
