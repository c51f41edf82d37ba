package io.verigate.server.wallet;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The balance changes of the holds one transaction resolves, kept back until its end: the ledger writes each wallet
 * shard once, last, in wallet and shard order ({@link Ledger#apply}). The sweep resolves hundreds of holds per
 * transaction; moving each shard as it went would lock every wallet it touched for the rest of the batch, stalling
 * those customers' purchases, and two nodes' batches could take the same shards in different orders.
 */
public final class BalanceMoves {
  /** One shard's change of {@code posted} and of {@code held}, in ledger units. */
  record Move(long walletId, int shard, long posted, long held) {}

  private record ShardKey(long walletId, int shard) implements Comparable<ShardKey> {
    @Override
    public int compareTo(ShardKey other) {
      int byWallet = Long.compare(walletId, other.walletId);
      return byWallet != 0 ? byWallet : Integer.compare(shard, other.shard);
    }
  }

  private final SortedMap<ShardKey, long[]> byShard = new TreeMap<>();

  void add(long walletId, int shard, long posted, long held) {
    long[] move = byShard.computeIfAbsent(new ShardKey(walletId, shard), k -> new long[2]);
    move[0] += posted;
    move[1] += held;
  }

  /** The changes, in the order every writer of several shards locks them. */
  List<Move> inLockOrder() {
    List<Move> moves = new ArrayList<>();
    for (Map.Entry<ShardKey, long[]> e : byShard.entrySet()) {
      moves.add(new Move(e.getKey().walletId(), e.getKey().shard(), e.getValue()[0], e.getValue()[1]));
    }
    return moves;
  }
}
