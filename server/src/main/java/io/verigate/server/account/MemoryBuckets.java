package io.verigate.server.account;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.TimeMeter;
import io.verigate.server.system.Quota;
import java.time.Duration;

/**
 * Buckets in this node's memory. A bucket left alone for its whole window is full again, so forgetting it then loses
 * nothing; the bound keeps a flood of new partitions (addresses, say) from filling the heap, at the price of giving a
 * bucket dropped early its quota back.
 */
final class MemoryBuckets implements BucketStore {
  static final int MAX_BUCKETS = 100_000;

  private final Cache<String, Bucket> buckets;
  private final TimeMeter meter;

  MemoryBuckets(TimeMeter meter, Duration longestWindow) {
    this.meter = meter;
    this.buckets = Caffeine.newBuilder().maximumSize(MAX_BUCKETS).expireAfterAccess(longestWindow).build();
  }

  @Override
  public Bucket bucket(String key, Quota quota) {
    return buckets.get(key, k -> Bucket.builder()
        .addLimit(BucketStore.bandwidth(quota))
        .withCustomTimePrecision(meter)
        .build());
  }

  /** Caffeine forgets idle buckets by itself. */
  @Override
  public int removeExpired() {
    return 0;
  }
}
