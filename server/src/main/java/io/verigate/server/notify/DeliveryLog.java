package io.verigate.server.notify;

import static io.verigate.server.notify.EndpointStore.at;
import static io.verigate.server.notify.EndpointStore.instant;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/** The {@code webhook_delivery} table: each delivery with the exact body it sends, and its last attempt's outcome. */
final class DeliveryLog {
  private static final String COLUMNS = "id, endpoint_id, event_id, event_type, state, attempts, created_at, "
      + "last_attempt_at, response_status, latency_ms, response_excerpt, last_error";
  private static final int MAX_ERROR = 500;

  /**
   * A delivery with its body, as the sender needs it; {@code targetUrl} is a purchase's callback URL, null when the
   * delivery goes to its endpoint's URL.
   */
  record Pending(Delivery delivery, String body, String targetUrl) {}

  long insert(Handle h, long endpointId, long eventId, String eventType, String body, String targetUrl, Instant now) {
    return h.createUpdate("INSERT INTO webhook_delivery (endpoint_id, event_id, event_type, body, state, created_at, "
            + "target_url) VALUES (:e, :event, :type, :body, :state, :now, :target)")
        .bind("e", endpointId).bind("event", eventId).bind("type", eventType).bind("body", body)
        .bind("target", targetUrl)
        .bind("state", Delivery.State.PENDING.name()).bind("now", at(now))
        .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
  }

  Optional<Pending> pending(Handle h, long id) {
    return h.createQuery("SELECT " + COLUMNS + ", body, target_url FROM webhook_delivery WHERE id = :id").bind("id", id)
        .map((rs, ctx) -> new Pending(delivery(rs), rs.getString("body"), rs.getString("target_url"))).findOne();
  }

  Optional<Delivery> find(Handle h, long endpointId, long id) {
    return h.createQuery("SELECT " + COLUMNS + " FROM webhook_delivery WHERE id = :id AND endpoint_id = :e")
        .bind("id", id).bind("e", endpointId).map((rs, ctx) -> delivery(rs)).findOne();
  }

  /** An endpoint's deliveries, newest first, with ids below {@code beforeId}. */
  List<Delivery> page(Handle h, long endpointId, long beforeId, int limit) {
    return h.createQuery("SELECT " + COLUMNS + " FROM webhook_delivery WHERE endpoint_id = :e AND id < :before "
            + "ORDER BY id DESC LIMIT :limit")
        .bind("e", endpointId).bind("before", beforeId).bind("limit", limit).map((rs, ctx) -> delivery(rs)).list();
  }

  /** One attempt's outcome; {@code status} and {@code latencyMillis} are null when no answer came. */
  void attempted(Handle h, long id, Delivery.State state, Instant at, Integer status, Integer latencyMillis,
      String excerpt, String error) {
    h.createUpdate("UPDATE webhook_delivery SET state = :state, attempts = attempts + 1, last_attempt_at = :at, "
            + "response_status = :status, latency_ms = :latency, response_excerpt = :excerpt, last_error = :error "
            + "WHERE id = :id")
        .bind("state", state.name()).bind("at", at(at)).bind("status", status).bind("latency", latencyMillis)
        .bind("excerpt", excerpt).bind("error", error == null || error.length() <= MAX_ERROR ? error
            : error.substring(0, MAX_ERROR))
        .bind("id", id).execute();
  }

  /** Ends a delivery without an attempt (its endpoint was deleted or disabled meanwhile). */
  void abandon(Handle h, long id, String reason) {
    h.createUpdate("UPDATE webhook_delivery SET state = :state, last_error = :reason WHERE id = :id")
        .bind("state", Delivery.State.FAILED.name()).bind("reason", reason).bind("id", id).execute();
  }

  void reopen(Handle h, long id) {
    h.createUpdate("UPDATE webhook_delivery SET state = :state WHERE id = :id")
        .bind("state", Delivery.State.PENDING.name()).bind("id", id).execute();
  }

  /** A pending delivery stays whatever its age: its outbox item may still send it. */
  int purgeFinishedOlderThan(Handle h, Instant cutoff) {
    return h.createUpdate("DELETE FROM webhook_delivery WHERE state <> :pending AND created_at < :cutoff")
        .bind("pending", Delivery.State.PENDING.name()).bind("cutoff", at(cutoff)).execute();
  }

  private static Delivery delivery(ResultSet rs) throws SQLException {
    return new Delivery(rs.getLong("id"), rs.getLong("endpoint_id"), rs.getLong("event_id"),
        rs.getString("event_type"), Delivery.State.valueOf(rs.getString("state")), rs.getInt("attempts"),
        instant(rs, "created_at"), instant(rs, "last_attempt_at"), (Integer) rs.getObject("response_status"),
        (Integer) rs.getObject("latency_ms"), rs.getString("response_excerpt"), rs.getString("last_error"));
  }
}
