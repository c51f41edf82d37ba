package io.verigate.server.wallet;

import io.verigate.server.account.Mode;
import io.verigate.server.system.Database;
import java.util.List;

/** What callers outside the core may do with wallets: read them, and (operators) credit them. */
public final class Wallets {
  private final Database db;
  private final Ledger ledger;

  public Wallets(Database db, Ledger ledger) {
    this.db = db;
    this.ledger = ledger;
  }

  public Balance balance(long customerId, Mode mode) {
    return db.inTransaction(h -> ledger.balance(h, ledger.walletId(h, customerId, mode)));
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
