package io.verigate.server.wallet;

import io.verigate.server.system.EventLog;
import io.verigate.server.system.NodeEvents;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.jdbi.v3.core.Handle;

/**
 * The {@value #EVENT} event: a live wallet's owner chooses a threshold (none by default), and the purchase that leaves
 * the available balance below it writes the event in its own transaction. Once per crossing: the event disarms the
 * threshold, and a credit that lifts the balance back to it or above arms it again.
 *
 * <p>Every live purchase asks for its wallet's threshold inside its transaction, and most wallets have none: that
 * must cost no statement, so thresholds are kept in memory, forgotten on this node at a change and on the others
 * through node events; while this node may be missing events it reads the row every time. A wallet without a
 * threshold reserves exactly as before; one with a threshold checks for the crossing after its reservation.
 */
final class LowBalance {
  static final String EVENT = "wallet.low_balance";
  static final String CHANNEL = "verigate_low_balance";
  /** The available balance of the wallet row in hand: the sum over its shards (see {@link Ledger}). */
  private static final String AVAILABLE =
      "(SELECT COALESCE(SUM(s.posted - s.held), 0) FROM wallet_shard s WHERE s.wallet_id = wallet.id)";

  private final NodeEvents nodeEvents;
  private final EventLog events;
  private final String currency;
  /** Wallet id to its threshold in ledger units, absent when it has none. */
  private final Map<Long, Optional<Long>> thresholds = new ConcurrentHashMap<>();
  /** Counts forgettings: a read that began before one may have seen the replaced threshold, so it is not kept. */
  private final AtomicLong forgettings = new AtomicLong();

  LowBalance(NodeEvents nodeEvents, EventLog events, String currency) {
    this.nodeEvents = nodeEvents;
    this.events = events;
    this.currency = currency;
    nodeEvents.subscribe(CHANNEL, walletId -> forget(Long.parseLong(walletId)), () -> {
      forgettings.incrementAndGet();
      thresholds.clear();
    });
  }

  /** The wallet's threshold, from memory when this node can trust it. */
  Optional<Money> threshold(Handle h, long walletId) {
    Optional<Long> known = nodeEvents.listening() ? thresholds.get(walletId) : null;
    if (known == null) {
      long before = forgettings.get();
      known = h.createQuery("SELECT low_balance_threshold FROM wallet WHERE id = :w").bind("w", walletId)
          .map((rs, ctx) -> Optional.ofNullable(rs.getObject("low_balance_threshold", Long.class))).one();
      if (forgettings.get() == before) {
        thresholds.put(walletId, known);
      }
    }
    return known.map(Money::ofUnits);
  }

  /**
   * Sets (or with null, removes) the threshold. It is armed when the balance is at it or above: a wallet already
   * below it sends the event only after a credit lifted it and a purchase took it below again.
   */
  void set(Handle h, long walletId, Money threshold) {
    h.createUpdate("UPDATE wallet SET low_balance_threshold = :t, low_balance_armed = "
            + (threshold == null ? "TRUE" : "(" + AVAILABLE + " >= :t)") + " WHERE id = :w")
        .bind("t", threshold == null ? null : threshold.units()).bind("w", walletId).execute();
    forget(walletId);
    h.afterCommit(() -> nodeEvents.publish(CHANNEL, Long.toString(walletId)));
  }

  /**
   * After a reservation on a wallet with a threshold, in its transaction: if the balance is now below an armed
   * threshold, disarms it and writes the event. Disarming takes the wallet row, so of two purchases that cross at
   * once the second finds it disarmed.
   */
  void afterDebit(Handle h, long customerId, long walletId, Money threshold) {
    int crossed = h.createUpdate("UPDATE wallet SET low_balance_armed = FALSE "
            + "WHERE id = :w AND low_balance_armed AND " + AVAILABLE + " < :t")
        .bind("w", walletId).bind("t", threshold.units()).execute();
    if (crossed == 0) {
      return;
    }
    Money available = h.createQuery("SELECT " + AVAILABLE + " FROM wallet WHERE id = :w").bind("w", walletId)
        .mapTo(Long.class).map(Money::ofUnits).one();
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("balance", available.toDecimalString());
    data.put("threshold", threshold.toDecimalString());
    data.put("currency", currency);
    events.append(h, customerId, false, EVENT, null, data);
  }

  /** After a credit, in its transaction: a balance back at the threshold or above arms it again. */
  void afterCredit(Handle h, long walletId) {
    h.createUpdate("UPDATE wallet SET low_balance_armed = TRUE WHERE id = :w AND NOT low_balance_armed "
            + "AND low_balance_threshold IS NOT NULL AND " + AVAILABLE + " >= low_balance_threshold")
        .bind("w", walletId).execute();
  }

  private void forget(long walletId) {
    forgettings.incrementAndGet();
    thresholds.remove(walletId);
  }
}
