package io.verigate.server.account;

import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TimeMeter;
import io.verigate.server.system.Config;
import io.verigate.server.system.Quota;
import java.time.Clock;
import java.time.Duration;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Per-partition request budgets, one per {@link LimitClass}: a key's purchases, polls and other calls, and the
 * requests of a client address without a valid key. Each budget is a token bucket holding its quota, all of it given
 * back at the end of each window.
 *
 * <p>Key budgets live where the configuration says: in memory, or in the database so that every node on it shares
 * them (see {@link DatabaseBuckets} for how exact that is). Address budgets always stay in this node's memory: they
 * meet requests nobody has vouched for, which must never cost a database write each. While the database cannot be
 * reached, key budgets fall back to this node's memory, so a database outage neither refuses nor unlimits anyone.
 */
public final class RateLimits {
  private static final Logger log = LoggerFactory.getLogger(RateLimits.class);

  private final Map<LimitClass, Quota> quotas;
  /**
   * Each class's budget keys begin with its policy and quota ({@code poll:12000/60s:}), so a changed quota starts
   * budgets of its own instead of inheriting the old ones (stored buckets keep the configuration they were made with).
   */
  private final Map<LimitClass, String> keyPrefixes;
  private final BucketStore keys;
  /** This node's memory: address budgets, and key budgets while the database cannot be reached. */
  private final BucketStore local;
  private final AtomicBoolean sharedStoreDown = new AtomicBoolean();

  private RateLimits(Map<LimitClass, Quota> quotas, BucketStore keys, BucketStore local) {
    this.quotas = quotas;
    this.keyPrefixes = new EnumMap<>(LimitClass.class);
    quotas.forEach((limitClass, quota) -> keyPrefixes.put(limitClass, limitClass.policy() + ":" + quota + ":"));
    this.keys = keys;
    this.local = local;
  }

  /** Everything allowed, with a verdict that has no fields to send. */
  public static RateLimits disabled() {
    return new RateLimits(Map.of(), null, null);
  }

  /** Every budget in this node's memory. */
  public static RateLimits inMemory(Map<LimitClass, Quota> quotas, Clock clock) {
    MemoryBuckets memory = new MemoryBuckets(BucketStore.meter(clock), longestWindow(quotas));
    return new RateLimits(complete(quotas), memory, memory);
  }

  /** Key budgets shared through the {@code rate_limit_bucket} table of this PostgreSQL database. */
  public static RateLimits shared(Map<LimitClass, Quota> quotas, DataSource postgres, Clock clock) {
    TimeMeter meter = BucketStore.meter(clock);
    Duration longest = longestWindow(quotas);
    return new RateLimits(complete(quotas), new DatabaseBuckets(postgres, meter, longest),
        new MemoryBuckets(meter, longest));
  }

  /** As the node's configuration asks. */
  public static RateLimits of(Config config, DataSource dataSource, Clock clock) {
    if (!config.rateLimits()) {
      return disabled();
    }
    Map<LimitClass, Quota> quotas = new EnumMap<>(LimitClass.class);
    quotas.put(LimitClass.PURCHASE, config.rateLimitPurchase());
    quotas.put(LimitClass.POLL, config.rateLimitPoll());
    quotas.put(LimitClass.OTHER, config.rateLimitOther());
    quotas.put(LimitClass.ANONYMOUS, config.rateLimitAnonymous());
    return config.rateLimitStore() == Config.RateLimitStore.DATABASE
        ? shared(quotas, dataSource, clock) : inMemory(quotas, clock);
  }

  /**
   * Spends one request from the budget of {@code partition} ({@code key:<keyId>} or {@code addr:<ip>}) for this class
   * of request. Never throws for a spent budget: the caller turns a refused verdict into {@link RateLimited}.
   */
  public Verdict take(String partition, LimitClass limitClass) {
    if (quotas.isEmpty()) {
      return Verdict.UNCOUNTED;
    }
    Quota quota = quotas.get(limitClass);
    String key = keyPrefixes.get(limitClass) + partition;
    ConsumptionProbe probe = limitClass == LimitClass.ANONYMOUS
        ? local.bucket(key, quota).tryConsumeAndReturnRemaining(1)
        : spendFromKeyBudget(key, quota);
    return verdict(limitClass, quota, probe);
  }

  /** Removes the stored budgets that are full again; for the node's housekeeping. */
  public int removeExpired() {
    return keys == null ? 0 : keys.removeExpired();
  }

  private ConsumptionProbe spendFromKeyBudget(String key, Quota quota) {
    try {
      ConsumptionProbe probe = keys.bucket(key, quota).tryConsumeAndReturnRemaining(1);
      if (sharedStoreDown.compareAndSet(true, false)) {
        log.info("rate-limit budgets are shared through the database again");
      }
      return probe;
    } catch (RuntimeException unreachable) {
      if (sharedStoreDown.compareAndSet(false, true)) {
        log.warn("rate-limit budgets cannot reach the database; this node limits on its own meanwhile", unreachable);
      }
      return local.bucket(key, quota).tryConsumeAndReturnRemaining(1);
    }
  }

  private static Verdict verdict(LimitClass limitClass, Quota quota, ConsumptionProbe probe) {
    long reset = wholeSeconds(probe.getNanosToWaitForReset());
    if (probe.isConsumed()) {
      return new Verdict(true, limitClass.policy(), quota.requests(), quota.windowSeconds(), probe.getRemainingTokens(),
          reset, 0);
    }
    long retryAfter = Math.max(1, Math.max(reset, wholeSeconds(probe.getNanosToWaitForRefill())));
    return new Verdict(false, limitClass.policy(), quota.requests(), quota.windowSeconds(), 0, reset, retryAfter);
  }

  /** Rounded up: a client told to wait 0 s when 300 ms remain would be refused again. */
  private static long wholeSeconds(long nanos) {
    return (nanos + TimeUnit.SECONDS.toNanos(1) - 1) / TimeUnit.SECONDS.toNanos(1);
  }

  private static Map<LimitClass, Quota> complete(Map<LimitClass, Quota> quotas) {
    if (quotas.size() != LimitClass.values().length) {
      throw new IllegalArgumentException("every limit class needs a quota, got " + quotas.keySet());
    }
    return Collections.unmodifiableMap(new EnumMap<>(quotas));
  }

  private static Duration longestWindow(Map<LimitClass, Quota> quotas) {
    return quotas.values().stream().map(Quota::window).max(Duration::compareTo).orElse(Duration.ofMinutes(1));
  }
}
