package io.verigate.server.activation;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.verigate.server.system.Database;
import io.verigate.server.system.SuccessRateRule;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Refuses purchases while too few of a customer's recent activations got a code ({@link SuccessRateRule}): a customer
 * whose numbers keep failing is most likely buying for a service that rejects them, and burns stock doing so.
 *
 * <p>Only activations with a known outcome count, so a burst of fresh purchases is not judged before their codes had a
 * chance. The figure is worked out per customer and mode at most once every {@link #RECHECK} on each node, so the guard
 * costs no query per purchase, and notices a change within that time.
 */
final class SuccessRateGuard {
  static final Duration RECHECK = Duration.ofMinutes(1);

  /** Where a customer stood when last judged: refused until {@code until}, or free to buy ({@code until} null). */
  private record Standing(Instant until, long succeeded, long counted) {
    static final Standing FREE = new Standing(null, 0, 0);
  }

  private final SuccessRateRule rule;
  private final Database db;
  private final PurchaseHistory history;
  private final Clock clock;
  private final Cache<Owner, Standing> standings;

  SuccessRateGuard(SuccessRateRule rule, Database db, PurchaseHistory history, Clock clock) {
    this.rule = rule;
    this.db = db;
    this.history = history;
    this.clock = clock;
    this.standings = Caffeine.newBuilder().expireAfterWrite(RECHECK).ticker(PurchaseLimits.ticker(clock))
        .maximumSize(100_000).build();
  }

  /** Refuses the purchase while the customer's rate is below the rule. */
  void check(Owner owner) {
    Standing standing = standings.get(owner, this::judge);
    Instant now = clock.instant();
    if (standing.until() != null && now.isBefore(standing.until())) {
      throw new LowSuccessRate("only " + standing.succeeded() + " of your last " + standing.counted()
          + " activations with an outcome got a code, below the " + rule.percent() + " required; buying resumes at "
          + standing.until() + ", or sooner if codes arrive for your waiting numbers", standing.until(), now);
    }
  }

  private Standing judge(Owner owner) {
    Instant now = clock.instant();
    Instant since = now.minus(rule.window());
    PurchaseHistory.OutcomeCounts counts =
        db.withHandle(h -> history.outcomeCounts(h, owner.customerId(), owner.mode(), since, now));
    if (!rule.fails(counts.succeeded(), counts.counted())) {
      return Standing.FREE;
    }
    List<PurchaseHistory.Outcome> oldestFirst =
        db.withHandle(h -> history.outcomes(h, owner.customerId(), owner.mode(), since, now));
    return new Standing(liftsAt(rule, oldestFirst, now), counts.succeeded(), counts.counted());
  }

  /**
   * When a failing rate recovers if nothing else happens: outcomes leave the window oldest first, until what is left
   * passes the rule or is too little to judge. {@code now} when the outcomes already pass.
   */
  static Instant liftsAt(SuccessRateRule rule, List<PurchaseHistory.Outcome> oldestFirst, Instant now) {
    long counted = oldestFirst.size();
    long succeeded = oldestFirst.stream().filter(PurchaseHistory.Outcome::gotCode).count();
    Instant lifts = now;
    // Ends at the latest when nothing is left: no outcomes are too few to judge, which never fails the rule.
    for (int next = 0; rule.fails(succeeded, counted); next++) {
      PurchaseHistory.Outcome leaving = oldestFirst.get(next);
      counted--;
      succeeded -= leaving.gotCode() ? 1 : 0;
      lifts = leaving.boughtAt().plus(rule.window());
    }
    return lifts;
  }
}
