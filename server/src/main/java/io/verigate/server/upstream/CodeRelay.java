package io.verigate.server.upstream;

import io.verigate.client.provider.BoughtNumber;
import io.verigate.client.provider.ProviderException;
import io.verigate.server.activation.Activation;
import io.verigate.server.activation.ActivationListener;
import io.verigate.server.inbound.InboundMessage;
import io.verigate.server.inbound.InboundPipeline;
import io.verigate.server.inbound.Receipt;
import io.verigate.server.system.Database;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings the codes of numbers bought upstream into this node's inbound pipeline, as if the upstream were a gateway:
 * one relay per live activation on such a number waits for the code with the SDK (the Verigate long poll, or the
 * poller that starts at 3 s and grows to 15 s for the others) and hands it to the pipeline as an SMS from the
 * upstream's source, so matching, code extraction, waiters, webhooks and billing are the ones every SMS gets. A relay
 * stops when its activation ends, and starts again after a resend, which it forwards upstream first.
 */
final class CodeRelay implements ActivationListener, AutoCloseable {
  /** How long a relay waits before asking again after the upstream failed or repeated the code already relayed. */
  static final Duration PAUSE = Duration.ofSeconds(3);
  private static final Logger log = LoggerFactory.getLogger(CodeRelay.class);

  /** A number bought upstream, as its relay needs it. */
  record Relayed(long sourceId, BoughtNumber number) {}

  private final Database db;
  private final Clock clock;
  private final UpstreamProviders providers;
  /** Set once by {@link #deliverTo}, before the first purchase can start a relay. */
  private volatile InboundPipeline pipeline;
  private final ExecutorService relays;
  /** Numbers bought upstream whose activation is being opened, by inventory row: {@link #purchased} claims them. */
  private final Map<Long, Relayed> expected = new ConcurrentHashMap<>();
  /** The live activations being relayed, by activation id, with their relay. */
  private final Map<Integer, Running> running = new ConcurrentHashMap<>();

  /** What a relay needs of its activation: until when to wait, and the code it had before (null: none yet). */
  private record Target(int activationId, Instant expiresAt, String codeBefore) {
    static Target of(Activation activation) {
      return new Target(activation.id(), activation.expiresAt(), activation.code());
    }
  }

  private record Running(Relayed relayed, Future<?> relay) {}

  CodeRelay(Database db, Clock clock, UpstreamProviders providers) {
    this.db = db;
    this.clock = clock;
    this.providers = providers;
    AtomicInteger threads = new AtomicInteger();
    // A relay spends its life waiting on the upstream, so each has a thread of its own rather than a pool's turn.
    this.relays = Executors.newCachedThreadPool(task -> {
      Thread thread = new Thread(task, "verigate-upstream-relay-" + threads.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    });
  }

  void deliverTo(InboundPipeline inbound) {
    this.pipeline = inbound;
  }

  /** After the purchase transaction that leased inventory row {@code numberId} committed. */
  void expect(long numberId, Relayed relayed) {
    expected.put(numberId, relayed);
  }

  @Override
  public void purchased(Activation activation) {
    Relayed relayed = expected.remove(activation.numberId());
    if (relayed != null) {
      start(relayed, Target.of(activation), null);
    }
  }

  @Override
  public void anotherCodeRequested(Activation activation) {
    Running was = running.get(activation.id());
    if (was == null) {
      return;
    }
    was.relay().cancel(true);
    start(was.relayed(), Target.of(activation), () -> resend(was.relayed().number()));
  }

  /** Forwards a resend; one the upstream refuses (5sim has none) still leaves the relay waiting for a new code. */
  private void resend(BoughtNumber number) {
    try {
      providers.current().ifPresent(current -> current.failover().resend(number));
    } catch (ProviderException e) {
      log.warn("resend of {}'s number {} failed: {}", number.provider(), number.id(), e.getMessage());
    }
  }

  @Override
  public void changed(Activation activation) {
    if (!activation.status().isLive()) {
      Running was = running.remove(activation.id());
      if (was != null) {
        was.relay().cancel(true);
      }
    }
  }

  /** Starts the relays of live activations on numbers bought upstream, e.g. after a restart. */
  void resume() {
    db.withHandle(h -> h.createQuery("SELECT u.source_id, s.name, u.upstream_id, u.phone, u.country, u.price, "
            + "a.id AS activation_id, a.expires_at, a.code FROM upstream_activation u "
            + "JOIN number_source s ON s.id = u.source_id JOIN phone_number p ON p.id = u.number_id "
            + "JOIN activation a ON a.id = p.active_activation_id WHERE u.ended_status IS NULL")
        .map((rs, ctx) -> Map.entry(new Target(rs.getInt("activation_id"),
                rs.getObject("expires_at", OffsetDateTime.class).toInstant(), rs.getString("code")),
            new Relayed(rs.getLong("source_id"), new BoughtNumber(rs.getString("name"), rs.getString("upstream_id"),
                rs.getString("phone"), rs.getString("country"), new BigDecimal(rs.getString("price"))))))
        .list())
        .forEach(entry -> start(entry.getValue(), entry.getKey(), null));
  }

  private void start(Relayed relayed, Target target, Runnable first) {
    running.put(target.activationId(), new Running(relayed, relays.submit(() -> {
      try {
        if (first != null) {
          first.run();
        }
        relay(relayed, target);
      } catch (RuntimeException e) {
        // A failure of this node (its database) while relaying: the code stays upstream, where a restart resumes.
        log.error("relaying {}'s number {} to activation {} failed", relayed.number().provider(),
            relayed.number().id(), target.activationId(), e);
      }
      return null;
    })));
  }

  /** Waits for a code not relayed yet until the activation's lifetime ends, then hands it to the pipeline. */
  private void relay(Relayed relayed, Target activation) throws InterruptedException {
    BoughtNumber number = relayed.number();
    while (clock.instant().isBefore(activation.expiresAt())) {
      Optional<UpstreamProviders.Current> current = providers.current();
      if (current.isEmpty()) {
        return;
      }
      String code;
      try {
        code = current.get().failover().awaitCode(number, Duration.between(clock.instant(), activation.expiresAt()));
      } catch (ProviderException e) {
        if (e.reason() == ProviderException.Reason.TIMEOUT || e.reason() == ProviderException.Reason.ENDED) {
          log.info("no code from {} for activation {}: {}", number.provider(), activation.activationId(), e.getMessage());
          return;
        }
        Thread.sleep(PAUSE.toMillis());
        continue;
      }
      if (code.equals(activation.codeBefore())) {
        // The upstream still shows the code relayed before the resend.
        Thread.sleep(PAUSE.toMillis());
        continue;
      }
      Receipt receipt = pipeline.accept(new InboundMessage(relayed.sourceId(),
          "upstream:" + number.id() + ":" + code, number.phone(), number.provider(), code, clock.instant()));
      log.info("code from {} relayed to activation {} (matched {})", number.provider(), activation.activationId(),
          receipt.activationId());
      return;
    }
  }

  @Override
  public void close() {
    relays.shutdownNow();
  }
}
