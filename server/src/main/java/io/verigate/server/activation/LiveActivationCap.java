package io.verigate.server.activation;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.verigate.server.system.Database;
import io.verigate.server.system.ErrorCode;
import io.verigate.server.system.Failure;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * At most {@code max} live activations per customer and mode. A purchase takes a place before it looks for a number
 * and gives it back if it buys none, so purchases running at once cannot pass the cap together on one node.
 *
 * <p>No purchase queries the database for this: each node counts a customer's live activations in the database at
 * most every {@link #RECOUNT}, and in between follows its own purchases and endings. Other nodes' purchases and endings
 * show at the next recount, so with N nodes a customer may briefly hold up to N times the cap (each node admitting up
 * to the cap on its own count), or be refused for up to {@code RECOUNT} after ending activations on another node.
 */
final class LiveActivationCap {
  static final Duration RECOUNT = Duration.ofSeconds(5);

  private final int max;
  private final Duration lifetime;
  private final Database db;
  private final PurchaseHistory history;
  private final Clock clock;
  private final Cache<Owner, AtomicInteger> counts;

  /** {@code lifetime} bounds which purchases can still be live, so a recount reads only the latest ones. */
  LiveActivationCap(int max, Duration lifetime, Database db, PurchaseHistory history, Clock clock) {
    this.max = max;
    this.lifetime = lifetime;
    this.db = db;
    this.history = history;
    this.clock = clock;
    this.counts = Caffeine.newBuilder().expireAfterWrite(RECOUNT).ticker(PurchaseLimits.ticker(clock))
        .maximumSize(100_000).build();
  }

  /** Takes a place for one more live activation, or refuses the purchase. */
  void take(Owner owner) {
    AtomicInteger live = counts.get(owner, this::recount);
    if (live.incrementAndGet() > max) {
      live.decrementAndGet();
      throw new Failure(ErrorCode.LIVE_ACTIVATION_LIMIT, "at most " + max + " activations may be live at once; "
          + "finish or cancel one (or wait for one to end) before buying another");
    }
  }

  private AtomicInteger recount(Owner owner) {
    Instant now = clock.instant();
    return new AtomicInteger(db.withHandle(h ->
        history.countLive(h, owner.customerId(), owner.mode(), now.minus(lifetime), now)));
  }

  /** A place freed: a purchase that bought nothing, or a live activation that ended. */
  void giveBack(Owner owner) {
    AtomicInteger live = counts.getIfPresent(owner);
    if (live != null) {
      live.updateAndGet(n -> Math.max(0, n - 1));
    }
  }
}
