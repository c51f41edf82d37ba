package io.verigate.server.wallet;

import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The balance changes of the holds one transaction resolves, kept back until its end: the ledger writes each wallet
 * row once, last, in wallet order ({@link Ledger#apply}). The sweep resolves hundreds of holds per transaction; moving
 * each wallet row as it went would lock every wallet it touched for the rest of the batch, stalling those customers'
 * purchases, and two nodes' batches could take the same wallets in different orders.
 */
public final class BalanceMoves {
  /** Per wallet id: the change of {@code posted} and of {@code held}, in ledger units. */
  private final SortedMap<Long, long[]> byWallet = new TreeMap<>();

  void add(long walletId, long posted, long held) {
    long[] move = byWallet.computeIfAbsent(walletId, w -> new long[2]);
    move[0] += posted;
    move[1] += held;
  }

  /** Wallet id to {posted, held} changes, in wallet id order. */
  Iterable<Map.Entry<Long, long[]>> inWalletOrder() {
    return byWallet.entrySet();
  }
}
