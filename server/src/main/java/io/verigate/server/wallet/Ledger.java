package io.verigate.server.wallet;

import io.verigate.server.account.Mode;
import io.verigate.server.system.ErrorCode;
import io.verigate.server.system.Failure;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/**
 * The append-only wallet ledger with two-phase holds. Every method runs inside the caller's transaction so
 * that a hold commits or rolls back together with the activation it pays for.
 *
 * <p>The cached {@code wallet} row moves in the same statement sequence as the entries; the database
 * refuses a negative available balance, and the conditional update in {@link #hold} makes the balance
 * check and the reservation one atomic step under concurrency.
 */
public final class Ledger {
  private final Clock clock;

  public Ledger(Clock clock) {
    this.clock = clock;
  }

  /** The wallet of this customer in this mode, created empty on first use. */
  public long walletId(Handle h, long customerId, Mode mode) {
    Optional<Long> existing = findWallet(h, customerId, mode);
    if (existing.isPresent()) {
      return existing.get();
    }
    h.createUpdate("INSERT INTO wallet (customer_id, mode) VALUES (:c, :m)")
        .bind("c", customerId).bind("m", mode.sqlName()).execute();
    return findWallet(h, customerId, mode).orElseThrow();
  }

  public Optional<Long> findWallet(Handle h, long customerId, Mode mode) {
    return h.createQuery("SELECT id FROM wallet WHERE customer_id = :c AND mode = :m")
        .bind("c", customerId).bind("m", mode.sqlName()).mapTo(Long.class).findOne();
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
    h.createUpdate("UPDATE wallet SET posted = posted + :a WHERE id = :w")
        .bind("a", amount.units()).bind("w", walletId).execute();
    return insert(h, walletId, LedgerEntry.Kind.CREDIT, amount, null, memo);
  }

  /** Takes money out of the available balance for good (an operator correction). */
  public long debit(Handle h, long walletId, Money amount, String memo) {
    requirePositive(amount);
    int updated = h.createUpdate("UPDATE wallet SET posted = posted - :a WHERE id = :w AND posted - held >= :a")
        .bind("a", amount.units()).bind("w", walletId).execute();
    if (updated == 0) {
      throw new Failure(ErrorCode.NO_BALANCE, "available balance is below " + amount);
    }
    return insert(h, walletId, LedgerEntry.Kind.DEBIT, amount, null, memo);
  }

  /** Reserves {@code amount}; refused with NO_BALANCE when the available balance is smaller. */
  public long hold(Handle h, long walletId, Money amount, String memo) {
    requirePositive(amount);
    int updated = h.createUpdate("UPDATE wallet SET held = held + :a WHERE id = :w AND posted - held >= :a")
        .bind("a", amount.units()).bind("w", walletId).execute();
    if (updated == 0) {
      throw new Failure(ErrorCode.NO_BALANCE, "available balance is below the price " + amount);
    }
    return insert(h, walletId, LedgerEntry.Kind.HOLD, amount, null, memo);
  }

  public void post(Handle h, long holdId, String memo) {
    resolve(h, holdId, LedgerEntry.Kind.POST, memo);
  }

  public void release(Handle h, long holdId, String memo) {
    resolve(h, holdId, LedgerEntry.Kind.VOID, memo);
  }

  public void expire(Handle h, long holdId, String memo) {
    resolve(h, holdId, LedgerEntry.Kind.EXPIRE, memo);
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

  private void resolve(Handle h, long holdId, LedgerEntry.Kind kind, String memo) {
    record Hold(long walletId, long amount) {}
    Hold hold = h.createQuery("SELECT wallet_id, amount FROM ledger_entry WHERE id = :id AND kind = 'HOLD'")
        .bind("id", holdId)
        .map((rs, ctx) -> new Hold(rs.getLong("wallet_id"), rs.getLong("amount")))
        .findOne()
        .orElseThrow(() -> new IllegalStateException("ledger entry " + holdId + " is not a hold"));
    boolean resolved = h.createQuery("SELECT COUNT(*) FROM ledger_entry WHERE resolves_hold = :id")
        .bind("id", holdId).mapTo(Integer.class).one() > 0;
    if (resolved) {
      // Callers guard state transitions first, so reaching this is a bug, not a user error.
      throw new IllegalStateException("hold " + holdId + " is already resolved");
    }
    String balanceChange = kind == LedgerEntry.Kind.POST
        ? "posted = posted - :a, held = held - :a"
        : "held = held - :a";
    h.createUpdate("UPDATE wallet SET " + balanceChange + " WHERE id = :w")
        .bind("a", hold.amount).bind("w", hold.walletId).execute();
    insert(h, hold.walletId, kind, Money.ofUnits(hold.amount), holdId, memo);
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
