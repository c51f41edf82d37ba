package io.verigate.server.upstream;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.verigate.client.provider.BoughtNumber;
import io.verigate.client.provider.FailoverProvider;
import io.verigate.client.provider.ProviderException;
import io.verigate.server.account.Mode;
import io.verigate.server.activation.Activation;
import io.verigate.server.activation.ActivationService;
import io.verigate.server.activation.ActivationStatus;
import io.verigate.server.system.Database;
import io.verigate.server.system.Outbox;
import io.verigate.server.system.Scheduler;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jdbi.v3.core.Handle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells each upstream how the activations on its numbers ended, at least once, through the outbox: the transaction
 * that ends an activation on a number bought upstream closes its {@code upstream_activation} row and enqueues an item
 * of kind {@value #KIND}, so no end commits without its message. A finished activation is finished upstream (the
 * upstream charges this node); every other end is a cancel (the upstream refunds). A number bought but never sold is
 * cancelled the same way.
 */
final class UpstreamEnds implements ActivationService.EndListener, Outbox.Handler {
  static final String KIND = "upstream.end";
  /** A few quick retries for a blip, then slower ones for an outage; the item dies after about a day. */
  static final Outbox.RetryPolicy SCHEDULE = new Outbox.RetryPolicy(List.of(Duration.ofSeconds(5),
      Duration.ofSeconds(30), Duration.ofMinutes(2), Duration.ofMinutes(10), Duration.ofMinutes(30), Duration.ofHours(1),
      Duration.ofHours(4), Duration.ofHours(8), Duration.ofHours(12)), 0.1);
  /**
   * How long after an early-cancel denial without a wait of its own the cancel is sent again: sms-activate and most
   * clones refuse cancels in a number's first 2 minutes, so 2 minutes after any denial is past that mark; a provider
   * with a longer window (3 minutes at some) denies once more and is asked again as long after.
   */
  static final Duration EARLY_CANCEL_WAIT = Duration.ofMinutes(2);
  /** Failures that may pass: anything else is the upstream's answer, which asking again does not change. */
  private static final Set<ProviderException.Reason> TRANSIENT = EnumSet.of(ProviderException.Reason.PROVIDER_DOWN,
      ProviderException.Reason.RATE_LIMITED);
  private static final Logger log = LoggerFactory.getLogger(UpstreamEnds.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Database db;
  private final Clock clock;
  private final Outbox outbox;
  private final Scheduler scheduler;
  private final UpstreamProviders providers;

  UpstreamEnds(Database db, Clock clock, Outbox outbox, Scheduler scheduler, UpstreamProviders providers) {
    this.db = db;
    this.clock = clock;
    this.outbox = outbox;
    this.scheduler = scheduler;
    this.providers = providers;
    outbox.register(KIND, SCHEDULE, this);
  }

  /** What the upstream is told about one of its numbers. */
  enum Action { FINISH, CANCEL }

  /**
   * In the transaction that ends a live activation: if its number was bought upstream, the number's open row is
   * closed and the end enqueued. The open row of a number belongs to its latest activation.
   */
  @Override
  public void ended(Handle h, Activation activation) {
    if (activation.mode() != Mode.LIVE) {
      return;
    }
    Optional<Open> open = h.createQuery("SELECT u.id, u.source_id, s.name, u.upstream_id, u.phone, u.country, u.price "
            + "FROM upstream_activation u JOIN number_source s ON s.id = u.source_id "
            + "WHERE u.number_id = :n AND u.ended_status IS NULL")
        .bind("n", activation.numberId())
        .map((rs, ctx) -> new Open(rs.getLong("id"), rs.getLong("source_id"), new BoughtNumber(rs.getString("name"),
            rs.getString("upstream_id"), rs.getString("phone"), rs.getString("country"),
            new BigDecimal(rs.getString("price")))))
        .findOne();
    open.ifPresent(row -> {
      h.createUpdate("UPDATE upstream_activation SET activation_id = :a, ended_status = :s WHERE id = :id")
          .bind("a", activation.id()).bind("s", activation.status().name()).bind("id", row.id()).execute();
      Action action = activation.status() == ActivationStatus.FINISHED ? Action.FINISH : Action.CANCEL;
      outbox.enqueue(h, KIND, payload(row.sourceId(), row.number(), action), clock.instant());
    });
  }

  /** The open row of a number bought upstream. */
  private record Open(long id, long sourceId, BoughtNumber number) {}

  /**
   * A number bought that no activation uses: cancelled upstream through the outbox, enqueued off the caller's thread
   * (a purchase whose transaction may just have failed with the database). Should even that fail, the cancel is
   * sent at once, so the upstream refunds unless it is down too.
   */
  void giveBack(Upstream upstream, BoughtNumber number, String reason) {
    log.info("cancelling {}'s number {} ({}): {}", upstream.name(), number.phone(), number.id(), reason);
    scheduler.after(Duration.ZERO, "upstream give back", () -> {
      try {
        db.inTransaction(h -> outbox.enqueue(h, KIND, payload(upstream.sourceId(), number, Action.CANCEL),
            clock.instant()));
      } catch (RuntimeException e) {
        log.warn("could not enqueue the cancel of {}'s number {}; sending it now: {}", upstream.name(), number.id(),
            e.toString());
        handle(payload(upstream.sourceId(), number, Action.CANCEL));
      }
    });
  }

  private static String payload(long sourceId, BoughtNumber number, Action action) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("source", sourceId);
    body.put("action", action.name());
    body.put("id", number.id());
    body.put("phone", number.phone());
    body.put("country", number.country());
    body.put("price", number.price().toPlainString());
    try {
      return JSON.writeValueAsString(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a map of strings always serialises", e);
    }
  }

  @Override
  public Outbox.Outcome handle(Outbox.Item item) {
    return handle(item.payload());
  }

  private Outbox.Outcome handle(String payload) {
    JsonNode body;
    try {
      body = JSON.readTree(payload);
    } catch (JsonProcessingException e) {
      return new Outbox.Dead("not an upstream end: " + payload);
    }
    long sourceId = body.path("source").asLong();
    Optional<UpstreamProviders.Current> current = providers.current();
    Optional<String> name = current.flatMap(c -> c.upstreams().stream()
        .filter(upstream -> upstream.sourceId() == sourceId).map(Upstream::name).findFirst());
    if (name.isEmpty()) {
      return new Outbox.Dead("source " + sourceId + " is no longer an upstream");
    }
    Action action = Action.valueOf(body.path("action").asText());
    BoughtNumber number = new BoughtNumber(name.get(), body.path("id").asText(), body.path("phone").asText(),
        body.path("country").asText(), new BigDecimal(body.path("price").asText()));
    // Through the failover, which routes by the number's provider and closes the purchase's circuit permit.
    FailoverProvider failover = current.get().failover();
    try {
      if (action == Action.FINISH) {
        failover.finish(number);
      } else {
        failover.cancel(number);
      }
      log.info("{} of {}'s number {} ({}) accepted", action, name.get(), number.phone(), number.id());
      return new Outbox.Done();
    } catch (ProviderException e) {
      if (TRANSIENT.contains(e.reason())) {
        return new Outbox.Retry(e.retryAfter().orElse(null), e.getMessage());
      }
      if (e.reason() == ProviderException.Reason.TOO_EARLY) {
        // The upstream holds this node's money until it takes the cancel: ask again once its early-cancel window
        // has surely passed.
        log.info("{} of {}'s number {} refused as too early; asking again later", action, name.get(), number.id());
        return new Outbox.Retry(e.retryAfter().orElse(EARLY_CANCEL_WAIT), e.getMessage());
      }
      // Refused: typically the number already ended upstream (its own lifetime ran out, which refunds it there).
      log.warn("{} of {}'s number {} refused, not sent again: {}", action, name.get(), number.id(), e.getMessage());
      return new Outbox.Done();
    }
  }
}
