package io.verigate.server.upstream;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.verigate.client.provider.FailoverProvider;
import io.verigate.client.provider.ProviderException;
import io.verigate.server.wallet.Money;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The order in which the upstreams are asked for one purchase: the cheapest first. Each upstream is asked its price
 * for the service and country (all at once, within the upstream timeout; an answer is kept for {@link #FRESH}); one
 * asking more than its {@link PriceRule} lets this node pay at the purchase's sale price is left out, and the rest are
 * tried cheapest first, then those that named no price, in registration order. The failover then tries them in that
 * order with its circuits and health as always: an open circuit still skips its upstream, poor health still puts it
 * last. An upstream whose circuit is open is not asked its price; it stays in the list (last), since only a trial
 * call lets its circuit half-open.
 *
 * <p>Prices are compared as numbers: the upstreams are assumed to charge in this node's currency, as the price
 * rules already assume.
 */
final class UpstreamQuotes implements AutoCloseable {
  /** Long enough to spare the upstreams a price call per purchase, short enough to follow their price changes. */
  static final Duration FRESH = Duration.ofSeconds(30);
  private static final Logger log = LoggerFactory.getLogger(UpstreamQuotes.class);

  private record Key(String upstream, String service, String country) {}

  /** An upstream's price (empty: it named none, or did not answer) as of {@code at}. */
  private record Quote(Optional<BigDecimal> price, Instant at) {}

  private record Ranked(Upstream upstream, Optional<BigDecimal> price) {}

  private final Clock clock;
  private final Duration timeout;
  private final Map<Key, Quote> quotes = new ConcurrentHashMap<>();
  private final ExecutorService asking;

  UpstreamQuotes(Clock clock, Duration timeout) {
    this.clock = clock;
    this.timeout = timeout;
    AtomicInteger threads = new AtomicInteger();
    // Price calls wait on the network: threads of their own, not the common pool's.
    this.asking = Executors.newCachedThreadPool(task -> {
      Thread thread = new Thread(task, "verigate-upstream-price-" + threads.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    });
  }

  /** The names of the upstreams to try for a number of {@code service} in {@code country} sold at {@code sale}. */
  List<String> ranked(UpstreamProviders.Current current, String service, String country, Money sale) {
    List<Upstream> upstreams = current.upstreams();
    if (upstreams.size() == 1) {
      // Nothing to choose between: the one upstream is asked to sell within its price rule anyway.
      return List.of(upstreams.get(0).name());
    }
    Instant deadline = clock.instant().plus(timeout);
    List<CompletableFuture<Optional<BigDecimal>>> asked = upstreams.stream()
        .map(upstream -> price(current, upstream, service, country)).toList();
    List<Ranked> candidates = new ArrayList<>();
    for (int i = 0; i < upstreams.size(); i++) {
      Upstream upstream = upstreams.get(i);
      Optional<BigDecimal> price = answer(asked.get(i), deadline);
      BigDecimal ceiling = upstream.priceRule().ceiling(sale).toBigDecimal();
      if (price.isPresent() && price.get().compareTo(ceiling) > 0) {
        log.info("{} asks {} for {} in {}, above the {} its price rule allows at a sale price of {}", upstream,
            price.get(), service, country, ceiling, sale);
        continue;
      }
      candidates.add(new Ranked(upstream, price));
    }
    // A stable sort: equal prices, and upstreams without one, keep their registration order.
    candidates.sort(Comparator.comparing((Ranked r) -> r.price().isEmpty())
        .thenComparing(r -> r.price().orElse(BigDecimal.ZERO)));
    return candidates.stream().map(r -> r.upstream().name()).toList();
  }

  /** A fresh price from the cache, or a call to the upstream that fills it; empty for an upstream whose circuit is open. */
  private CompletableFuture<Optional<BigDecimal>> price(UpstreamProviders.Current current, Upstream upstream,
      String service, String country) {
    FailoverProvider failover = current.failover();
    if (failover.state(upstream.name()) == CircuitBreaker.State.OPEN
        || failover.state(upstream.name(), country) == CircuitBreaker.State.OPEN) {
      return CompletableFuture.completedFuture(Optional.empty());
    }
    Key key = new Key(upstream.name(), service, country);
    Quote cached = quotes.get(key);
    if (cached != null && clock.instant().isBefore(cached.at().plus(FRESH))) {
      return CompletableFuture.completedFuture(cached.price());
    }
    ResoldProvider provider = current.byName().get(upstream.name());
    return CompletableFuture.supplyAsync(() -> {
      Optional<BigDecimal> price;
      try {
        price = provider.price(service, country);
      } catch (ProviderException e) {
        // Remembered for the operator by the provider; the purchase may still try the upstream, after the priced ones.
        price = Optional.empty();
      }
      quotes.put(key, new Quote(price, clock.instant()));
      return price;
    }, asking);
  }

  private Optional<BigDecimal> answer(CompletableFuture<Optional<BigDecimal>> asked, Instant deadline) {
    try {
      return asked.get(Math.max(0, Duration.between(clock.instant(), deadline).toMillis()), TimeUnit.MILLISECONDS);
    } catch (TimeoutException | ExecutionException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  @Override
  public void close() {
    asking.shutdownNow();
  }
}
