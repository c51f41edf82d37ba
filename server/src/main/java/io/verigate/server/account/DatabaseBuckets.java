package io.verigate.server.account;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.TimeMeter;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.jdbc.PrimaryKeyMapper;
import io.github.bucket4j.distributed.proxy.RemoteBucketBuilder;
import io.github.bucket4j.distributed.proxy.optimization.DelayParameters;
import io.github.bucket4j.distributed.proxy.optimization.NopeOptimizationListener;
import io.github.bucket4j.distributed.proxy.optimization.delay.DelayOptimization;
import io.github.bucket4j.postgresql.Bucket4jPostgreSQL;
import io.github.bucket4j.postgresql.PostgreSQLSelectForUpdateBasedProxyManager;
import io.verigate.server.system.Quota;
import java.time.Duration;
import javax.sql.DataSource;

/**
 * Buckets every node on one PostgreSQL database shares, in the {@code rate_limit_bucket} table (migration V11): one
 * row per budget, read and written under a row lock.
 *
 * <p>A round trip per request would cost more than a status poll itself, so each node spends from its own copy of a
 * bucket and settles with the database once it has spent {@link #UNSYNCED_SHARE} of the quota, or after
 * {@link #SYNC_EVERY}, whichever comes first (Bucket4j's delaying optimization); a refusal is decided on the copy too.
 * Each node can therefore spend up to that share before the others hear of it: with N nodes a budget can be overrun
 * by up to N times that share. Quotas under {@code UNSYNCED_SHARE}'s inverse (50 requests) settle on every request
 * and are exact.
 */
final class DatabaseBuckets implements BucketStore {
  static final String TABLE = "rate_limit_bucket";
  /** The part of a quota a node may spend before settling with the database: 1/50, 2 %. */
  static final int UNSYNCED_SHARE = 50;
  static final Duration SYNC_EVERY = Duration.ofSeconds(1);
  private static final int REMOVE_BATCH = 1_000;

  private final PostgreSQLSelectForUpdateBasedProxyManager<String> proxies;
  private final TimeMeter meter;
  /** This node's copies: they carry the spending not yet settled, so each key keeps one. */
  private final Cache<String, Bucket> copies;

  DatabaseBuckets(DataSource dataSource, TimeMeter meter, Duration longestWindow) {
    this.meter = meter;
    this.proxies = Bucket4jPostgreSQL.selectForUpdateBasedBuilder(dataSource)
        .primaryKeyMapper(PrimaryKeyMapper.STRING)
        .table(TABLE)
        .clientClock(meter)
        // A full bucket is as good as none: its row may go as soon as the quota is back.
        .expirationAfterWrite(ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(Duration.ZERO))
        .build();
    this.copies = Caffeine.newBuilder()
        .maximumSize(MemoryBuckets.MAX_BUCKETS)
        .expireAfterAccess(longestWindow.plus(SYNC_EVERY))
        .build();
  }

  @Override
  public Bucket bucket(String key, Quota quota) {
    return copies.get(key, k -> {
      RemoteBucketBuilder<String> builder = proxies.builder();
      long unsynced = quota.requests() / UNSYNCED_SHARE;
      if (unsynced > 0) {
        builder = builder.withOptimization(new DelayOptimization(new DelayParameters(unsynced, SYNC_EVERY),
            NopeOptimizationListener.INSTANCE, meter));
      }
      BucketConfiguration configuration = BucketConfiguration.builder().addLimit(BucketStore.bandwidth(quota)).build();
      return builder.build(k, () -> configuration);
    });
  }

  /** Deletes rows whose bucket is full again; safe on several nodes at once (they skip each other's rows). */
  @Override
  public int removeExpired() {
    int removed = 0;
    int batch;
    do {
      batch = proxies.removeExpired(REMOVE_BATCH);
      removed += batch;
    } while (batch == REMOVE_BATCH);
    return removed;
  }
}
