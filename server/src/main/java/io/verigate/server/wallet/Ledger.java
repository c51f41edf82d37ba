package io.verigate.server.wallet;

import io.verigate.server.account.Mode;
import io.verigate.server.system.Database;
import io.verigate.server.system.ErrorCode;
import io.verigate.server.system.Failure;
import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;

/**
 * The append-only wallet ledger with two-phase holds. Every method runs inside the caller's transaction so
 * that a hold commits or rolls back together with the activation it pays for.
 *
 * <p>A wallet's balance lives in {@link #SHARDS} shard rows, each a slice of its money with its own posted and held
 * amounts that the database keeps from going negative; the balance is their sum. A hold locks one shard with room
 * for its price and takes it from there, and its ledger entry names the shard, so that its post, void or expiry
 * returns the amount to the same shard. A PostgreSQL row lock lasts until the commit is on disk, so one row per
 * wallet would let a customer's purchases commit only one at a time (about 330 a second on a 3 ms fsync); with
 * shards, up to {@link #SHARDS} of them commit together. The invariants per wallet: the sum of the shards' posted
 * and held equals what the entries add up to ({@link #recompute}), and no shard's held or available amount is ever
 * negative, so neither is the wallet's.
 *
 * <p>Credits are spread over all shards. When no shard has room for a hold although the wallet has the money (it was
 * spent unevenly), {@link #makeRoom} locks every shard in shard order and spreads the available money again; every
 * writer of several shards locks them in that order, so they never deadlock.
 */
public final class Ledger {
  /** Shards per wallet: more than the connections a node's pool gives its purchases at once. */
  public static final int SHARDS = 16;
  private final Database db;
  private final Clock clock;
  /** Wallet ids never change once opened, so each is read from the database once per node. */
  private final Map<WalletKey, Long> walletIds = new ConcurrentHashMap<>();

  private record WalletKey(long customerId, Mode mode) {}

  /** A shard as locked for a change: its number and its amounts in ledger units. */
  private record Shard(int shard, long posted, long held) {
    long available() {
      return posted - held;
    }
  }

  public Ledger(Database db, Clock clock) {
    this.db = db;
    this.clock = clock;
  }

  /**
   * Opens a new customer's wallets, one per mode with all its shards, in the transaction that creates the customer:
   * a wallet exists before its first use, so concurrent first purchases never race to create it.
   */
  public void openWallets(Handle h, long customerId) {
    for (Mode mode : Mode.values()) {
      long wallet = h.createUpdate("INSERT INTO wallet (customer_id, mode) VALUES (:c, :m)")
          .bind("c", customerId).bind("m", mode.sqlName())
          .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
      PreparedBatch shards = h.prepareBatch("INSERT INTO wallet_shard (wallet_id, shard) VALUES (:w, :s)");
      for (int shard = 0; shard < SHARDS; shard++) {
        shards.bind("w", wallet).bind("s", shard).add();
      }
      shards.execute();
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
    return h.createQuery("SELECT COALESCE(SUM(posted), 0) AS posted, COALESCE(SUM(held), 0) AS held "
            + "FROM wallet_shard WHERE wallet_id = :w")
        .bind("w", walletId)
        .map((rs, ctx) -> new Balance(walletId, Money.ofUnits(rs.getLong("posted")), Money.ofUnits(rs.getLong("held"))))
        .one();
  }

  /** Credits the wallet, spread evenly over its shards so that concurrent holds find room in each. */
  public long credit(Handle h, long walletId, Money amount, String memo) {
    requirePositive(amount);
    lockAll(h, walletId);
    long units = amount.units();
    h.createUpdate("UPDATE wallet_shard SET posted = posted + :each + CASE WHEN shard = 0 THEN :rest ELSE 0 END "
            + "WHERE wallet_id = :w")
        .bind("each", units / SHARDS).bind("rest", units % SHARDS).bind("w", walletId).execute();
    return insert(h, walletId, 0, LedgerEntry.Kind.CREDIT, amount, null, memo);
  }

  /** Takes money out of the available balance for good (an operator correction), from the fullest shards first. */
  public long debit(Handle h, long walletId, Money amount, String memo) {
    requirePositive(amount);
    List<Shard> shards = lockAll(h, walletId);
    if (available(shards) < amount.units()) {
      throw new Failure(ErrorCode.NO_BALANCE, "available balance is below " + amount);
    }
    long left = amount.units();
    for (Shard shard : shards.stream().sorted(Comparator.comparingLong(Shard::available).reversed()).toList()) {
      long taken = Math.min(left, shard.available());
      if (taken > 0) {
        addPosted(h, walletId, shard.shard(), -taken);
        left -= taken;
      }
    }
    return insert(h, walletId, 0, LedgerEntry.Kind.DEBIT, amount, null, memo);
  }

  /** A hold: its ledger entry, the wallet it is on and the shard its amount was taken from. */
  public record Hold(long id, long walletId, int shard, Money amount) {}

  /**
   * Reserves {@code amount} in one go, moving money between the wallet's shards if none has room on its own; refused
   * with NO_BALANCE when the wallet's available balance is smaller. Purchases instead lock a shard first
   * ({@link #lockShardWithRoom}) and {@link #makeRoom} in a transaction of their own when none has room, so that no
   * purchase transaction ever holds all of a wallet's shards.
   */
  public Hold hold(Handle h, long walletId, Money amount, String memo) {
    requirePositive(amount);
    OptionalInt shard = lockShardWithRoom(h, walletId, amount);
    if (shard.isEmpty() && makeRoom(h, walletId, amount)) {
      shard = lockShardWithRoom(h, walletId, amount);
    }
    if (shard.isEmpty()) {
      throw new Failure(ErrorCode.NO_BALANCE, "available balance is below the price " + amount);
    }
    return holdOn(h, walletId, shard.getAsInt(), amount, memo);
  }

  /** Takes {@code amount} from the shard the caller locked with room for it, and writes the hold's entry. */
  public Hold holdOn(Handle h, long walletId, int shard, Money amount, String memo) {
    h.createUpdate("UPDATE wallet_shard SET held = held + :a WHERE wallet_id = :w AND shard = :s")
        .bind("a", amount.units()).bind("w", walletId).bind("s", shard).execute();
    return new Hold(insert(h, walletId, shard, LedgerEntry.Kind.HOLD, amount, null, memo), walletId, shard, amount);
  }

  /**
   * Locks a shard of the wallet with room for {@code amount}: on PostgreSQL first one that no other transaction holds,
   * starting at a random shard so that concurrent buyers spread out, and failing that the first with room in shard
   * order, waiting for its holder to commit (in the order every writer of several shards locks them, so waiting here
   * closes no cycle). Empty when no shard has room on its own (see {@link #makeRoom}).
   */
  public OptionalInt lockShardWithRoom(Handle h, long walletId, Money amount) {
    Optional<Integer> shard = Optional.empty();
    if (db.isPostgres()) {
      shard = h.createQuery(freeShardWithRoom(":wallet", ":price", ":start", "TRUE"))
          .bind("wallet", walletId).bind("price", amount.units()).bind("start", ThreadLocalRandom.current().nextInt(SHARDS))
          .mapTo(Integer.class).findOne();
    }
    if (shard.isEmpty()) {
      shard = h.createQuery("SELECT shard FROM wallet_shard WHERE wallet_id = :w AND posted - held >= :a ORDER BY shard "
              + "LIMIT 1 FOR UPDATE")
          .bind("w", walletId).bind("a", amount.units()).mapTo(Integer.class).findOne();
    }
    return shard.map(OptionalInt::of).orElse(OptionalInt.empty());
  }

  /**
   * The PostgreSQL query of {@link #lockShardWithRoom}'s first try: a shard of {@code wallet} with room for
   * {@code amount} that no other transaction holds, trying shards from {@code start} on. The three are SQL expressions
   * (parameters, or columns of a statement that embeds the query) and {@code condition} is one more condition.
   */
  public static String freeShardWithRoom(String wallet, String amount, String start, String condition) {
    return "SELECT shard FROM wallet_shard WHERE wallet_id = " + wallet + " AND posted - held >= " + amount + " AND "
        + condition + " ORDER BY CASE WHEN shard >= " + start + " THEN 0 ELSE 1 END, shard LIMIT 1 FOR UPDATE SKIP LOCKED";
  }

  /**
   * When the wallet has {@code amount} available but no shard has room for it, spreads the available money over as
   * many shards as can each pay it (up to all of them, the first taking the remainder), locking every shard until the
   * caller's commit; when a shard has room already, it only reads. Returns whether the wallet has that much
   * available at all.
   */
  public boolean makeRoom(Handle h, long walletId, Money amount) {
    boolean roomNow = h.createQuery("SELECT COUNT(*) FROM wallet_shard WHERE wallet_id = :w AND posted - held >= :a")
        .bind("w", walletId).bind("a", amount.units()).mapTo(Integer.class).one() > 0;
    if (roomNow) {
      return true;
    }
    List<Shard> shards = lockAll(h, walletId);
    long total = available(shards);
    long slices = Math.min(shards.size(), total / amount.units());
    if (slices == 0) {
      return false;
    }
    if (shards.stream().anyMatch(shard -> shard.available() >= amount.units())) {
      return true;
    }
    for (Shard shard : shards) {
      long share = shard.shard() < slices ? total / slices : 0;
      if (shard.shard() == 0) {
        share += total % slices;
      }
      if (share != shard.available()) {
        addPosted(h, walletId, shard.shard(), share - shard.available());
      }
    }
    return true;
  }

  /**
   * Credits {@code amount} when the available balance is below {@code needed}: of a burst of callers, the first funds
   * the wallet and the others, once its locks are free, find the money. Returns whether it credited; the wallet's
   * shards stay locked by the caller's transaction either way.
   */
  public boolean topUp(Handle h, long walletId, Money needed, Money amount, String memo) {
    requirePositive(amount);
    if (available(lockAll(h, walletId)) >= needed.units()) {
      return false;
    }
    credit(h, walletId, amount, memo);
    return true;
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
    record Held(long walletId, int shard, long amount) {}
    Held hold = h.createQuery("SELECT wallet_id, shard, amount FROM ledger_entry WHERE id = :id AND kind = 'HOLD'")
        .bind("id", holdId)
        .map((rs, ctx) -> new Held(rs.getLong("wallet_id"), rs.getInt("shard"), rs.getLong("amount")))
        .findOne()
        .orElseThrow(() -> new IllegalStateException("ledger entry " + holdId + " is not a hold"));
    insert(h, hold.walletId, hold.shard, outcome, Money.ofUnits(hold.amount), holdId, memo);
    moves.add(hold.walletId, hold.shard, outcome == LedgerEntry.Kind.POST ? -hold.amount : 0, -hold.amount);
  }

  /** Writes the kept-back balance changes: one update per shard, in wallet and shard order. */
  public void apply(Handle h, BalanceMoves moves) {
    for (BalanceMoves.Move move : moves.inLockOrder()) {
      h.createUpdate("UPDATE wallet_shard SET posted = posted + :p, held = held + :h WHERE wallet_id = :w AND shard = :s")
          .bind("p", move.posted()).bind("h", move.held()).bind("w", move.walletId()).bind("s", move.shard())
          .execute();
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

  private static long available(List<Shard> shards) {
    return shards.stream().mapToLong(Shard::available).sum();
  }

  /** Every shard of the wallet, locked in shard order (the one order every multi-shard writer takes). */
  private static List<Shard> lockAll(Handle h, long walletId) {
    return h.createQuery("SELECT shard, posted, held FROM wallet_shard WHERE wallet_id = :w ORDER BY shard FOR UPDATE")
        .bind("w", walletId)
        .map((rs, ctx) -> new Shard(rs.getInt("shard"), rs.getLong("posted"), rs.getLong("held")))
        .list();
  }

  private static void addPosted(Handle h, long walletId, int shard, long units) {
    h.createUpdate("UPDATE wallet_shard SET posted = posted + :a WHERE wallet_id = :w AND shard = :s")
        .bind("a", units).bind("w", walletId).bind("s", shard).execute();
  }

  private long insert(Handle h, long walletId, int shard, LedgerEntry.Kind kind, Money amount, Long resolvesHold,
      String memo) {
    return h.createUpdate("INSERT INTO ledger_entry (wallet_id, shard, kind, amount, resolves_hold, memo, created_at) "
            + "VALUES (:w, :shard, :k, :a, :r, :m, :t)")
        .bind("w", walletId).bind("shard", shard).bind("k", kind.name()).bind("a", amount.units()).bind("r", resolvesHold)
        .bind("m", memo).bind("t", java.time.OffsetDateTime.now(clock))
        .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
  }

  private static void requirePositive(Money amount) {
    if (amount.units() <= 0) {
      throw new Failure(ErrorCode.BAD_REQUEST, "amount must be greater than zero");
    }
  }
}
