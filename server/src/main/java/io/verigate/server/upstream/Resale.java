package io.verigate.server.upstream;

import io.verigate.server.account.Actor;
import io.verigate.server.account.ApiKeys;
import io.verigate.server.activation.ActivationService;
import io.verigate.server.inbound.InboundPipeline;
import io.verigate.server.inventory.Inventory;
import io.verigate.server.inventory.NumberSources;
import io.verigate.server.system.Database;
import io.verigate.server.system.Outbox;
import io.verigate.server.system.Scheduler;
import io.verigate.server.system.SecretBox;
import io.verigate.server.supply.RemoteSupplier;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Upstream resale: numbers bought from other providers (another Verigate, sms-activate-compatible ones, 5sim) through
 * the SDK's providers when this node's own numbers and SIM-bank agents have none, their codes relayed into the inbound
 * pipeline, and their ends told back upstream. The customer pays this node's price; the upstream charges this node's
 * account there.
 */
public final class Resale implements AutoCloseable {
  private final Scheduler scheduler = new Scheduler(1);
  private final Upstreams upstreams;
  private final UpstreamProviders providers;
  private final UpstreamQuotes quotes;
  private final UpstreamEnds ends;
  private final CodeRelay relay;
  private final UpstreamSupply supply;
  private final Duration timeout;

  /** {@code timeout} bounds every call to an upstream ({@code upstream-timeout}). */
  public Resale(Database db, Clock clock, NumberSources sources, SecretBox secrets, ApiKeys ownKeys,
      Inventory inventory, Outbox outbox, Duration timeout) {
    this.timeout = timeout;
    this.upstreams = new Upstreams(db, sources, secrets, ownKeys);
    this.providers = new UpstreamProviders(upstreams, clock, timeout);
    this.ends = new UpstreamEnds(db, clock, outbox, scheduler, providers);
    this.relay = new CodeRelay(db, clock, providers);
    this.quotes = new UpstreamQuotes(clock, timeout);
    this.supply = new UpstreamSupply(providers, quotes, NodeId.of(db), inventory, ends, relay, clock);
  }

  /**
   * Registers an upstream under a new source name: its {@code protocol} (verigate, sms-activate or 5sim), base URL,
   * the key of this node's account there, and its price rule. Purchases use it from now on.
   */
  public Upstream register(Actor actor, String name, String protocol, String baseUrl, String key, PriceRule rule) {
    Upstream registered = upstreams.register(actor, name, protocol, baseUrl, key, rule);
    providers.reload();
    return registered;
  }

  /** Numbers bought upstream, for live purchases; the supply router asks it last. */
  public RemoteSupplier supply() {
    return supply;
  }

  /**
   * Joins the activation service and the inbound pipeline, which are built after the supply router this feeds:
   * relays codes into the pipeline for the activations on upstream numbers, and tells their ends upstream.
   */
  public void listenTo(ActivationService activations, InboundPipeline pipeline) {
    relay.deliverTo(pipeline);
    activations.addListener(relay);
    activations.onEnded(ends);
  }

  /** Starts relaying the codes of live activations bought upstream before this node started. */
  public void start() {
    scheduler.after(Duration.ZERO, "upstream relays", relay::resume);
  }

  /**
   * An upstream as the operator sees it: its settings without the key, the balance of this node's account there
   * (null with {@code balanceError} when it did not answer), its circuit ({@code CLOSED} while healthy, {@code OPEN}
   * while skipped after failures, {@code HALF_OPEN} while on trial) and its latest failures, newest first.
   */
  public record UpstreamView(long id, String name, String protocol, String baseUrl, Integer markupPercent,
      String fixedPrice, String balance, String balanceError, String circuit,
      List<UpstreamFailure> recentFailures) {}

  /** Every upstream with its balance, asked of all of them at once, each within the timeout. */
  public List<UpstreamView> views() {
    UpstreamProviders.Current current = providers.reload();
    List<CompletableFuture<BigDecimal>> balances = current.upstreams().stream()
        .map(upstream -> CompletableFuture.supplyAsync(() -> current.byName().get(upstream.name()).balance()))
        .toList();
    return current.upstreams().stream().map(upstream -> {
      ResoldProvider provider = current.byName().get(upstream.name());
      BigDecimal balance = null;
      String balanceError = null;
      try {
        balance = balances.get(current.upstreams().indexOf(upstream)).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      } catch (ExecutionException e) {
        balanceError = e.getCause().getMessage();
      } catch (TimeoutException e) {
        balanceError = "no answer within " + timeout;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        balanceError = "interrupted";
      }
      PriceRule rule = upstream.priceRule();
      return new UpstreamView(upstream.sourceId(), upstream.name(), upstream.protocol().code(),
          upstream.baseUrl().toString(), rule.markupPercent(),
          rule.fixedPrice() == null ? null : rule.fixedPrice().toDecimalString(),
          balance == null ? null : balance.toPlainString(), balanceError,
          current.failover().state(upstream.name()).name(), provider.recentFailures());
    }).toList();
  }

  @Override
  public void close() {
    relay.close();
    quotes.close();
    scheduler.close();
  }
}
