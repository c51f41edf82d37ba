package io.verigate.server.upstream;

import io.verigate.client.provider.BoughtNumber;
import io.verigate.client.provider.Order;
import io.verigate.client.provider.ProviderException;
import io.verigate.server.catalog.Prices;
import io.verigate.server.inventory.Inventory;
import io.verigate.server.inventory.PhoneNumbers;
import io.verigate.server.inventory.ReservedNumber;
import io.verigate.server.supply.RemoteSupplier;
import io.verigate.server.supply.ResalePath;
import io.verigate.server.supply.SuppliedNumber;
import io.verigate.server.supply.SupplyRequest;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Numbers bought upstream for live purchases that neither the operator's own numbers nor a SIM-bank agent could
 * serve. The supply router asks before the purchase transaction opens, so the call holds no pooled connection; each
 * call is bounded by {@code upstream-timeout}. The upstreams are tried cheapest first ({@link UpstreamQuotes}), and a
 * purchase another node resold to this one is never resold back along its path ({@link ResalePath}). The number
 * bought becomes an inventory row of the upstream's source, leased to the new activation, with a row in
 * {@code upstream_activation} that says where to send its end; a number the purchase could not use is cancelled
 * upstream through the outbox.
 */
final class UpstreamSupply implements RemoteSupplier {
  private static final Logger log = LoggerFactory.getLogger(UpstreamSupply.class);

  private final UpstreamProviders providers;
  private final UpstreamQuotes quotes;
  private final String nodeId;
  private final Inventory inventory;
  private final UpstreamEnds ends;
  private final CodeRelay relay;
  private final Clock clock;

  UpstreamSupply(UpstreamProviders providers, UpstreamQuotes quotes, String nodeId, Inventory inventory,
      UpstreamEnds ends, CodeRelay relay, Clock clock) {
    this.providers = providers;
    this.quotes = quotes;
    this.nodeId = nodeId;
    this.inventory = inventory;
    this.ends = ends;
    this.relay = relay;
    this.clock = clock;
  }

  /** Not for a purchase that already passed through this node, or through enough resellers: see {@link ResalePath}. */
  @Override
  public boolean mayHave(SupplyRequest request) {
    return providers.current().isPresent() && request.resalePath().resellableBy(nodeId);
  }

  @Override
  public Optional<SuppliedNumber> handOut(SupplyRequest request) {
    Optional<UpstreamProviders.Current> current = providers.current();
    if (current.isEmpty() || !request.resalePath().resellableBy(nodeId)) {
      return Optional.empty();
    }
    String country = request.country().toLowerCase(Locale.ROOT);
    List<String> ranked = quotes.ranked(current.get(), request.service(), country, request.price());
    if (ranked.isEmpty()) {
      log.info("every upstream asks more for a {} number in {} than its price rule allows", request.service(),
          request.country());
      return Optional.empty();
    }
    Order order = new Order(request.service(), List.of(country), request.price().toBigDecimal(),
        Prices.ANY_OPERATOR.equals(request.operator()) ? null : request.operator(),
        request.resalePath().then(nodeId).nodes());
    BoughtNumber bought;
    try {
      bought = current.get().failover().buy(order, ranked);
    } catch (ProviderException e) {
      log.info("no upstream sold a {} number in {}: {}", request.service(), request.country(), e.getMessage());
      return Optional.empty();
    }
    ResoldProvider seller = current.get().byName().get(bought.provider());
    Optional<PhoneNumbers.Parsed> parsed = PhoneNumbers.parse(bought.phone());
    Optional<String> refusal = request.refusal(bought.phone(), parsed);
    if (refusal.isPresent()) {
      log.warn("{} sold a number this purchase cannot use: {}", seller.upstream(), refusal.get());
      ends.giveBack(seller.upstream(), bought, refusal.get());
      return Optional.empty();
    }
    return Optional.of(new UpstreamNumber(seller.upstream(), bought, parsed.get(), request.operator()));
  }

  /** A number bought upstream, on its way into a purchase or back to the upstream. */
  private final class UpstreamNumber implements SuppliedNumber {
    private final Upstream upstream;
    private final BoughtNumber bought;
    private final PhoneNumbers.Parsed number;
    private final String operator;

    UpstreamNumber(Upstream upstream, BoughtNumber bought, PhoneNumbers.Parsed number, String operator) {
      this.upstream = upstream;
      this.bought = bought;
      this.number = number;
      this.operator = operator;
    }

    @Override
    public Optional<ReservedNumber> takeIn(Handle h) {
      Optional<ReservedNumber> taken = inventory.addSuppliedNumber(h, number.e164(), number.countryIso(), operator,
          upstream.sourceId());
      taken.ifPresent(reserved -> {
        h.createUpdate("INSERT INTO upstream_activation (source_id, upstream_id, phone, country, price, number_id, "
                + "created_at) VALUES (:s, :u, :p, :c, :price, :n, :t)")
            .bind("s", upstream.sourceId()).bind("u", bought.id()).bind("p", bought.phone()).bind("c", bought.country())
            .bind("price", bought.price().toPlainString()).bind("n", reserved.id())
            .bind("t", clock.instant().atOffset(ZoneOffset.UTC)).execute();
        // The activation opened on it is told to the relay once it commits (CodeRelay#purchased).
        h.afterCommit(() -> relay.expect(reserved.id(), new CodeRelay.Relayed(upstream.sourceId(), bought)));
      });
      return taken;
    }

    @Override
    public void giveBack(String reason) {
      ends.giveBack(upstream, bought, reason);
    }
  }
}
