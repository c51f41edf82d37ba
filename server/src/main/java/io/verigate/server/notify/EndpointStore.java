package io.verigate.server.notify;

import io.verigate.server.account.Mode;
import io.verigate.server.system.NodeEvents;
import io.verigate.server.system.SecretBox;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Handle;

/**
 * The {@code webhook_endpoint} table, and each owner's endpoints kept in memory: every event asks which endpoints
 * want it, inside the transaction that appends it (a purchase's, a code's), and for the many customers with no
 * endpoint that must cost no query. A change forgets the owner's entry on this node at once and, after its commit,
 * on the others through node events; while this node may be missing events it reads the table every time.
 */
final class EndpointStore {
  static final String CHANNEL = "webhook_endpoints";
  private static final String COLUMNS = "id, customer_id, test, url, event_types, format, enabled, disabled_reason, "
      + "previous_secret_until, failing_since, created_at";

  private final SecretBox secrets;
  private final NodeEvents nodeEvents;
  private final Map<WebhookOwner, List<Endpoint>> cache = new ConcurrentHashMap<>();
  /**
   * Counts forgettings: a load that began before one may have read the state the change replaced, so it is used
   * but not kept.
   */
  private final AtomicLong forgettings = new AtomicLong();

  EndpointStore(SecretBox secrets, NodeEvents nodeEvents) {
    this.secrets = secrets;
    this.nodeEvents = nodeEvents;
    nodeEvents.subscribe(CHANNEL, this::forget, () -> {
      forgettings.incrementAndGet();
      cache.clear();
    });
  }

  /** The owner's endpoints, from memory when this node can trust it. */
  List<Endpoint> cached(Handle h, WebhookOwner owner) {
    if (!nodeEvents.listening()) {
      return list(h, owner);
    }
    List<Endpoint> known = cache.get(owner);
    if (known != null) {
      return known;
    }
    long before = forgettings.get();
    List<Endpoint> loaded = list(h, owner);
    if (forgettings.get() == before) {
      cache.put(owner, loaded);
    }
    return loaded;
  }

  /** Tells this node and, after the caller's commit, every other that the owner's endpoints changed. */
  void changed(WebhookOwner owner) {
    forget(owner);
    nodeEvents.publish(CHANNEL, owner.customerId() + ":" + owner.mode().sqlName());
  }

  private void forget(String payload) {
    String[] parts = payload.split(":", 2);
    if (parts.length == 2 && parts[0].matches("\\d{1,18}")) {
      forget(new WebhookOwner(Long.parseLong(parts[0]), Mode.fromSql(parts[1])));
    }
  }

  private void forget(WebhookOwner owner) {
    forgettings.incrementAndGet();
    cache.remove(owner);
  }

  List<Endpoint> list(Handle h, WebhookOwner owner) {
    return h.createQuery("SELECT " + COLUMNS + " FROM webhook_endpoint WHERE customer_id = :c AND test = :t ORDER BY id")
        .bind("c", owner.customerId()).bind("t", owner.test())
        .map((rs, ctx) -> endpoint(rs)).list();
  }

  Optional<Endpoint> find(Handle h, long id) {
    return h.createQuery("SELECT " + COLUMNS + " FROM webhook_endpoint WHERE id = :id")
        .bind("id", id).map((rs, ctx) -> endpoint(rs)).findOne();
  }

  long insert(Handle h, WebhookOwner owner, String url, List<String> eventTypes, WebhookFormat format,
      WebhookSecret secret, Instant now) {
    return h.createUpdate("INSERT INTO webhook_endpoint (customer_id, test, url, event_types, format, enabled, secret, "
            + "created_at) VALUES (:c, :t, :url, :types, :format, TRUE, :secret, :now)")
        .bind("c", owner.customerId()).bind("t", owner.test()).bind("url", url)
        .bind("types", String.join(",", eventTypes)).bind("format", format.wireName())
        .bind("secret", secrets.seal(secret.text())).bind("now", at(now))
        .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
  }

  void update(Handle h, Endpoint changed) {
    h.createUpdate("UPDATE webhook_endpoint SET url = :url, event_types = :types, format = :format, enabled = :enabled, "
            + "disabled_reason = :reason, failing_since = :failing WHERE id = :id")
        .bind("url", changed.url()).bind("types", String.join(",", changed.eventTypes()))
        .bind("format", changed.format().wireName()).bind("enabled", changed.enabled())
        .bind("reason", changed.disabledReason()).bind("failing", at(changed.failingSince()))
        .bind("id", changed.id()).execute();
  }

  /** After a 2xx: the endpoint is no longer failing. */
  void succeeded(Handle h, long id) {
    h.createUpdate("UPDATE webhook_endpoint SET failing_since = NULL WHERE id = :id AND failing_since IS NOT NULL")
        .bind("id", id).execute();
  }

  /** After a failed attempt: since when the endpoint has been failing, this attempt's time when it was not. */
  Instant failed(Handle h, long id, Instant now) {
    h.createUpdate("UPDATE webhook_endpoint SET failing_since = :now WHERE id = :id AND failing_since IS NULL")
        .bind("now", at(now)).bind("id", id).execute();
    return h.createQuery("SELECT failing_since FROM webhook_endpoint WHERE id = :id").bind("id", id)
        .map((rs, ctx) -> instant(rs, "failing_since")).findOne().orElse(now);
  }

  /** Stops deliveries to an endpoint the node gave up on, saying why; its owner enables it again. */
  void disable(Handle h, long id, String reason) {
    h.createUpdate("UPDATE webhook_endpoint SET enabled = FALSE, disabled_reason = :reason WHERE id = :id")
        .bind("reason", reason).bind("id", id).execute();
  }

  void delete(Handle h, long id) {
    h.createUpdate("DELETE FROM webhook_endpoint WHERE id = :id").bind("id", id).execute();
  }

  /** A new secret; the current one keeps signing as well until {@code overlapUntil} (now: not at all). */
  void rotate(Handle h, long id, WebhookSecret next, Instant overlapUntil, Instant now) {
    String current = h.createQuery("SELECT secret FROM webhook_endpoint WHERE id = :id FOR UPDATE")
        .bind("id", id).mapTo(String.class).one();
    boolean overlap = overlapUntil.isAfter(now);
    h.createUpdate("UPDATE webhook_endpoint SET secret = :next, previous_secret = :previous, "
            + "previous_secret_until = :until WHERE id = :id")
        .bind("next", secrets.seal(next.text())).bind("previous", overlap ? current : null)
        .bind("until", overlap ? at(overlapUntil) : null).bind("id", id).execute();
  }

  /** The secrets that sign a message now: the current one first, then the previous one while its overlap lasts. */
  List<WebhookSecret> signingSecrets(Handle h, long id, Instant now) {
    return h.createQuery("SELECT secret, previous_secret, previous_secret_until FROM webhook_endpoint WHERE id = :id")
        .bind("id", id)
        .map((rs, ctx) -> {
          List<WebhookSecret> signing = new ArrayList<>();
          signing.add(WebhookSecret.parse(secrets.open(rs.getString("secret"))));
          Instant until = instant(rs, "previous_secret_until");
          if (rs.getString("previous_secret") != null && until != null && until.isAfter(now)) {
            signing.add(WebhookSecret.parse(secrets.open(rs.getString("previous_secret"))));
          }
          return signing;
        }).findOne().orElse(List.of());
  }

  private static Endpoint endpoint(ResultSet rs) throws SQLException {
    String types = rs.getString("event_types");
    return new Endpoint(rs.getLong("id"),
        WebhookOwner.of(rs.getLong("customer_id"), rs.getBoolean("test")),
        rs.getString("url"),
        types.isEmpty() ? Set.of() : Arrays.stream(types.split(","))
            .collect(Collectors.toCollection(LinkedHashSet::new)),
        WebhookFormat.parse(rs.getString("format")), rs.getBoolean("enabled"), rs.getString("disabled_reason"),
        instant(rs, "previous_secret_until"), instant(rs, "failing_since"), instant(rs, "created_at"));
  }

  static Instant instant(ResultSet rs, String column) throws SQLException {
    OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
    return value == null ? null : value.toInstant();
  }

  static OffsetDateTime at(Instant instant) {
    return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
  }
}
