package io.verigate.server.wallet;

import io.verigate.server.account.Mode;
import io.verigate.server.system.Database;
import java.util.List;
import org.jdbi.v3.core.Handle;

/**
 * What callers outside the core may do with wallets: read them, and (operators) credit them. Test-mode
 * wallets hold play money that the sandbox keeps topped up, because running dry is never what a sandbox
 * user is testing.
 */
public final class Wallets {
  private static final Money ANY_AMOUNT = Money.ofUnits(1);
  private final Database db;
  private final Ledger ledger;
  private final Money testFunding;

  public Wallets(Database db, Ledger ledger, Money testFunding) {
    this.db = db;
    this.ledger = ledger;
    this.testFunding = testFunding;
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

  /** Credits a test wallet its funding amount (or {@code needed}, if larger) when it cannot cover {@code needed}. */
  private void fundTestWallet(Handle h, long walletId, Money needed) {
    ledger.topUp(h, walletId, needed, needed.exceeds(testFunding) ? needed : testFunding, "sandbox top-up");
  }

  /**
   * Reserves a pending hold on a test wallet, funding the wallet first when it runs short: a sandbox purchase is never
   * refused for money, and a burst of them funds the wallet once. Each round either funds (and then holds the wallet's
   * lock, so the next reservation cannot miss) or finds that another purchase just did.
   */
  public void reserveOnTestWallet(Handle h, Ledger.PendingHold hold) {
    while (!ledger.tryReserve(h, hold)) {
      fundTestWallet(h, hold.walletId(), hold.amount());
    }
  }

  public Balance credit(long customerId, Mode mode, Money amount, String memo) {
    return db.inTransaction(h -> {
      long wallet = ledger.walletId(h, customerId, mode);
      ledger.credit(h, wallet, amount, memo == null || memo.isBlank() ? "operator credit" : memo);
      return ledger.balance(h, wallet);
    });
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
