package io.verigate.server.account;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.TimeMeter;
import io.verigate.server.system.Quota;
import java.time.Clock;

/** Where the token buckets behind {@link RateLimits} live: one bucket per budget key. */
interface BucketStore {
  /** The bucket for {@code key}, made with {@code quota} when it does not exist yet. */
  Bucket bucket(String key, Quota quota);

  /** Drops stored buckets that are full again, so idle budgets take no room; how many it dropped. */
  int removeExpired();

  /**
   * A quota as a bucket: the whole quota, given back at once at the end of each window. A fixed window is what the
   * {@code RateLimit} fields describe exactly: the client may spend no more than {@code r} within {@code t}, and after
   * {@code t} it has the whole quota again.
   */
  static Bandwidth bandwidth(Quota quota) {
    return Bandwidth.builder().capacity(quota.requests()).refillIntervally(quota.requests(), quota.window()).build();
  }

  /** The node's clock in Bucket4j's terms; wall-clock time, so every node on one database measures alike. */
  static TimeMeter meter(Clock clock) {
    return new TimeMeter() {
      @Override
      public long currentTimeNanos() {
        return clock.millis() * 1_000_000L;
      }

      @Override
      public boolean isWallClockBased() {
        return true;
      }
    };
  }
}
