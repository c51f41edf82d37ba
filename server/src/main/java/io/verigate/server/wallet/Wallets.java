package io.verigate.server.wallet;

import io.verigate.server.account.Actor;
import io.verigate.server.account.Audit;
import io.verigate.server.account.AuditAction;
import io.verigate.server.account.AuditEntry;
import io.verigate.server.account.Mode;
import io.verigate.server.system.Database;
import io.verigate.server.system.ErrorCode;
import io.verigate.server.system.EventLog;
import io.verigate.server.system.Failure;
import io.verigate.server.system.NodeEvents;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/**
 * What callers outside the core may do with wallets: read them, and (operators) credit them. Test-mode
 * wallets hold play money that the sandbox keeps topped up, because running dry is never what a sandbox
 * user is testing.
 */
public final class Wallets {
  private static final Money ANY_AMOUNT = Money.ofUnits(1);
  /** What a low-balance threshold takes, for a request that gave none. */
  public static final String THRESHOLD_HINT = "a decimal string such as \"5.00\", or null to turn it off";
  private final Database db;
  private final Ledger ledger;
  private final Money testFunding;
  private final Audit audit;
  private final EventLog events;
  private final String currency;
  private final LowBalance lowBalance;

  public Wallets(Database db, Ledger ledger, Money testFunding, Audit audit, EventLog events, String currency,
      NodeEvents nodeEvents) {
    this.lowBalance = new LowBalance(nodeEvents, events, currency);
    this.db = db;
    this.ledger = ledger;
    this.testFunding = testFunding;
    this.audit = audit;
    this.events = events;
    this.currency = currency;
  }

  public Balance balance(long customerId, Mode mode) {
    return db.inTransaction(h -> {
      long wallet = ledger.walletId(h, customerId, mode);
      if (mode == Mode.TEST) {
        fundTestWallet(h, wallet, ANY_AMOUNT);
      }
      return ledger.balance(h, wallet);
    });
  }

  /**
   * Credits a test wallet its funding amount (or {@code needed}, if larger) when it cannot cover {@code needed}. It
   * reads before it locks: a wallet with the money, the usual case, is not locked, so a burst of sandbox purchases
   * or balance reads does not queue behind every shard; a short one is checked again under the locks and funded once.
   */
  private void fundTestWallet(Handle h, long walletId, Money needed) {
    if (needed.exceeds(ledger.balance(h, walletId).available())) {
      topUpTestWallet(h, walletId, needed);
    }
  }

  private void topUpTestWallet(Handle h, long walletId, Money needed) {
    ledger.topUp(h, walletId, needed, needed.exceeds(testFunding) ? needed : testFunding, "sandbox top-up");
  }

  /**
   * Makes room for a hold of {@code amount}, in a short transaction of its own, for a purchase that found no shard of
   * the wallet with room: spreads a live wallet's money again (false when it has less available than that), funds a
   * test wallet that runs short (a sandbox purchase is never refused for money, and a burst funds it once).
   */
  public boolean makeRoom(long customerId, Mode mode, Money amount) {
    return db.inTransaction(h -> {
      long wallet = ledger.walletId(h, customerId, mode);
      if (mode == Mode.TEST) {
        fundTestWallet(h, wallet, amount);
      }
      return ledger.makeRoom(h, wallet, amount);
    });
  }

  /**
   * Holds {@code amount} on a test wallet in the caller's transaction, funding the wallet first when it runs short (the
   * sandbox is never refused for money). It locks every shard of the wallet: for purchases that are not the hot path.
   */
  public Ledger.Hold holdOnTestWallet(Handle h, long walletId, Money amount, String memo) {
    topUpTestWallet(h, walletId, amount);
    return ledger.hold(h, walletId, amount, memo);
  }

  /** Whether a hold on this live wallet may write {@code wallet.low_balance} (its owner set a threshold). */
  public boolean watchesLowBalance(Handle h, long walletId) {
    return lowBalance.threshold(h, walletId).isPresent();
  }

  /**
   * After a hold on a live wallet, in its transaction: when the wallet has a low-balance threshold and the hold took
   * its available balance below it, writes {@code wallet.low_balance} (once per crossing).
   */
  public void afterLiveHold(Handle h, long customerId, long walletId) {
    lowBalance.threshold(h, walletId).ifPresent(threshold -> lowBalance.afterDebit(h, customerId, walletId, threshold));
  }

  /** The live wallet's low-balance threshold, empty when it has none. */
  public Optional<Money> lowBalanceThreshold(long customerId, Mode mode) {
    return db.inTransaction(h -> mode == Mode.TEST ? Optional.<Money>empty()
        : lowBalance.threshold(h, ledger.walletId(h, customerId, mode)));
  }

  /**
   * Sets the threshold below which a purchase writes {@code wallet.low_balance}, or with null turns it off; the audit
   * log records who did it. Only live wallets have one: the sandbox's tops itself up.
   */
  public void setLowBalanceThreshold(Actor actor, long customerId, Mode mode, Money threshold) {
    if (mode == Mode.TEST) {
      throw new Failure(ErrorCode.BAD_REQUEST, "the sandbox wallet tops itself up; a low-balance threshold is for the "
          + "live wallet");
    }
    if (threshold != null && !threshold.exceeds(Money.ZERO)) {
      throw new Failure(ErrorCode.BAD_REQUEST, "threshold must be above zero, or null to turn it off");
    }
    db.inTransaction(h -> {
      lowBalance.set(h, ledger.walletId(h, customerId, mode), threshold);
      Map<String, Object> detail = new LinkedHashMap<>();
      detail.put("mode", mode.sqlName());
      detail.put("threshold", threshold == null ? "off" : threshold.toDecimalString());
      audit.record(h, new AuditEntry(actor, AuditAction.WALLET_LOW_BALANCE_SET, "customer:" + customerId, detail));
      return null;
    });
  }

  /** Credits the wallet; the audit log records who did it, with the amount and memo. */
  public Balance credit(Actor actor, long customerId, Mode mode, Money amount, String memo) {
    String shownMemo = memo == null || memo.isBlank() ? "operator credit" : memo;
    return db.inTransaction(h -> {
      long wallet = ledger.walletId(h, customerId, mode);
      ledger.credit(h, wallet, amount, shownMemo);
      lowBalance.afterCredit(h, wallet);
      Map<String, Object> detail = new LinkedHashMap<>();
      detail.put("mode", mode.sqlName());
      detail.put("amount", amount.toDecimalString());
      detail.put("memo", shownMemo);
      audit.record(h, new AuditEntry(actor, AuditAction.WALLET_CREDITED, "customer:" + customerId, detail));
      Balance balance = ledger.balance(h, wallet);
      events.append(h, customerId, mode == Mode.TEST, "wallet.credited", null, Map.of(
          "amount", amount.toDecimalString(), "balance", balance.available().toDecimalString(), "currency", currency));
      return balance;
    });
  }

  /**
   * Gives money back in the caller's transaction, for goods charged at once and returned (an eSIM refunded before use):
   * a credit with the memo, and a low-balance threshold armed again when the balance is back at it.
   */
  public void refund(Handle h, long customerId, Mode mode, Money amount, String memo) {
    long wallet = ledger.walletId(h, customerId, mode);
    ledger.credit(h, wallet, amount, memo);
    lowBalance.afterCredit(h, wallet);
  }

  public List<LedgerEntry> history(long customerId, Mode mode, long beforeId, int limit) {
    return db.inTransaction(h -> ledger.history(h, ledger.walletId(h, customerId, mode), beforeId, limit));
  }

  /** Cached balance versus the sum of entries: equal unless the ledger is broken. */
  public boolean reconciles(long customerId, Mode mode) {
    return db.inTransaction(h -> {
      long wallet = ledger.walletId(h, customerId, mode);
      return ledger.balance(h, wallet).equals(ledger.recompute(h, wallet));
    });
  }
}
