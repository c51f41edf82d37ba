package io.verigate.server.upstream;

import io.verigate.client.provider.BoughtNumber;
import io.verigate.client.provider.Order;
import io.verigate.client.provider.ProviderException;
import io.verigate.client.provider.VerificationProvider;
import io.verigate.server.wallet.Money;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * One upstream as the failover sees it: the SDK's provider for its protocol, asked to sell at most what the
 * upstream's {@link PriceRule} allows, and remembering its latest failures for the operator. The order's
 * {@code maxPrice} is this node's sale price; the rule turns it into the upstream's ceiling.
 */
final class ResoldProvider implements VerificationProvider {
  static final int FAILURES_KEPT = 10;
  private static final Set<ProviderException.Reason> ORDINARY = EnumSet.of(ProviderException.Reason.NO_NUMBERS,
      ProviderException.Reason.PRICE_ABOVE_MAX, ProviderException.Reason.TIMEOUT, ProviderException.Reason.TOO_EARLY,
      ProviderException.Reason.ENDED);

  private final Upstream upstream;
  private final VerificationProvider provider;
  private final Clock clock;
  private final Deque<UpstreamFailure> failures = new ArrayDeque<>();

  ResoldProvider(Upstream upstream, VerificationProvider provider, Clock clock) {
    this.upstream = upstream;
    this.provider = provider;
    this.clock = clock;
  }

  Upstream upstream() {
    return upstream;
  }

  @Override
  public String name() {
    return upstream.name();
  }

  @Override
  public BoughtNumber buy(Order order) {
    BigDecimal ceiling = upstream.priceRule().ceiling(Money.ofUnits(order.maxPrice().movePointRight(Money.SCALE)
        .setScale(0, RoundingMode.DOWN).longValueExact())).toBigDecimal();
    BoughtNumber number = recorded("buy", () -> provider.buy(order.withMaxPrice(ceiling)));
    if (number.price().compareTo(ceiling) > 0) {
      // An upstream that ignored the maximum: the number goes back rather than sell at a loss.
      recorded("cancel", () -> {
        provider.cancel(number);
        return null;
      });
      throw remembered("buy", new ProviderException(ProviderException.Reason.PRICE_ABOVE_MAX,
          name() + " sold at " + number.price() + ", above the price rule's " + ceiling));
    }
    return number;
  }

  @Override
  public String awaitCode(BoughtNumber number, Duration timeout) throws InterruptedException {
    try {
      return provider.awaitCode(number, timeout);
    } catch (ProviderException e) {
      throw remembered("awaitCode", e);
    }
  }

  @Override
  public void finish(BoughtNumber number) {
    recorded("finish", () -> {
      provider.finish(number);
      return null;
    });
  }

  @Override
  public void cancel(BoughtNumber number) {
    recorded("cancel", () -> {
      provider.cancel(number);
      return null;
    });
  }

  @Override
  public void resend(BoughtNumber number) {
    recorded("resend", () -> {
      provider.resend(number);
      return null;
    });
  }

  @Override
  public BigDecimal balance() {
    return recorded("balance", provider::balance);
  }

  /** The upstream's own price, before any price rule: what this node would pay. */
  @Override
  public Optional<BigDecimal> price(String service, String country) {
    return recorded("price", () -> provider.price(service, country));
  }

  /** The latest failures, newest first. */
  synchronized List<UpstreamFailure> recentFailures() {
    return List.copyOf(failures);
  }

  private <T> T recorded(String operation, Supplier<T> call) {
    try {
      return call.get();
    } catch (ProviderException e) {
      throw remembered(operation, e);
    }
  }

  /**
   * Keeps the failure unless it is an ordinary answer: no numbers, none at the price, no code yet, a cancel too
   * soon after the purchase (which the outbox sends again later), or an activation that has ended there (most often
   * by this node's own finish or cancel, which the code relay still waiting on it hears as this answer).
   */
  private ProviderException remembered(String operation, ProviderException e) {
    if (!ORDINARY.contains(e.reason())) {
      synchronized (this) {
        failures.addFirst(new UpstreamFailure(clock.instant(), operation, e.reason().name(), e.getMessage()));
        while (failures.size() > FAILURES_KEPT) {
          failures.removeLast();
        }
      }
    }
    return e;
  }
}
