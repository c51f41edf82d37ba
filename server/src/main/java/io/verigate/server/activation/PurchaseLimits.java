package io.verigate.server.activation;

import com.github.benmanes.caffeine.cache.Ticker;
import io.verigate.server.account.Mode;
import io.verigate.server.account.Principal;
import io.verigate.server.system.Database;
import io.verigate.server.system.SuccessRateRule;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The operator's limits on what one customer may buy, checked before a purchase looks for a number: the cap on live
 * activations ({@code max-live-activations}) and the optional success-rate guard ({@code success-rate-guard}). Neither
 * queries the database per purchase; see {@link LiveActivationCap} and {@link SuccessRateGuard} for how current their
 * figures are.
 */
public final class PurchaseLimits implements ActivationListener {
  /** Null when the cap is off. */
  private final LiveActivationCap cap;
  /** Null when the guard is off. */
  private final SuccessRateGuard guard;

  private PurchaseLimits(LiveActivationCap cap, SuccessRateGuard guard) {
    this.cap = cap;
    this.guard = guard;
  }

  /**
   * The limits as configured for one product, whose purchases {@code history} reads: at most {@code maxLive} live
   * activations per customer and mode (0: no cap), and the success-rate rule if any. {@code lifetime} bounds which
   * activations can still be live.
   */
  public static PurchaseLimits of(Database db, Clock clock, Duration lifetime, int maxLive,
      Optional<SuccessRateRule> successRate, PurchaseHistory history) {
    return new PurchaseLimits(
        maxLive == 0 ? null : new LiveActivationCap(maxLive, lifetime, db, history, clock),
        successRate.map(rule -> new SuccessRateGuard(rule, db, history, clock)).orElse(null));
  }

  /** The limits on SMS activations. */
  public static PurchaseLimits ofSms(Database db, Clock clock, Duration lifetime, int maxLive,
      Optional<SuccessRateRule> successRate) {
    return of(db, clock, lifetime, maxLive, successRate, PurchaseHistory.SMS);
  }

  /**
   * Runs one purchase within the limits: refused before it starts ({@code LOW_SUCCESS_RATE},
   * {@code LIVE_ACTIVATION_LIMIT}), or holding a place under the cap that it keeps only if it bought a number.
   */
  public <T> T admitted(Principal principal, Supplier<T> purchase) {
    Owner owner = Owner.of(principal);
    if (guard != null) {
      guard.check(owner);
    }
    if (cap == null) {
      return purchase.get();
    }
    cap.take(owner);
    try {
      return purchase.get();
    } catch (RuntimeException boughtNothing) {
      cap.giveBack(owner);
      throw boughtNothing;
    }
  }

  /** An activation that ends frees its place under the cap at once, not only at the next recount. */
  @Override
  public void changed(Activation activation) {
    if (!activation.status().isLive()) {
      ended(activation.customerId(), activation.mode());
    }
  }

  /** One of the customer's live activations ended: its place under the cap is free at once. */
  public void ended(long customerId, Mode mode) {
    if (cap != null) {
      cap.giveBack(new Owner(customerId, mode));
    }
  }

  /** The node's clock for the figures' ages, so they age with the activations they count (and a test's clock). */
  static Ticker ticker(Clock clock) {
    return () -> TimeUnit.MILLISECONDS.toNanos(clock.millis());
  }
}
