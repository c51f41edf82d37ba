package io.verigate.server.account;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.verigate.server.system.Database;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.Query;

/**
 * The audit log: who changed what, when and from where, in the {@code audit_entry} table, which is only ever
 * appended to (PostgreSQL refuses any change or removal of its rows). A change records its entry in its own
 * transaction ({@link #record(Handle, AuditEntry)}), so the change and its entry commit together or not at all.
 */
public final class Audit {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TypeReference<Map<String, Object>> DETAIL = new TypeReference<>() {};
  /** Longer than any detail the actions write; the column holds this much. */
  static final int MAX_DETAIL = 2000;

  private final Database db;
  private final Clock clock;

  public Audit(Database db, Clock clock) {
    this.db = db;
    this.clock = clock;
  }

  /** An entry as the log holds it: numbered in the order written, with the time it was written. */
  public record Recorded(long id, Instant at, String actor, String action, String subject, Map<String, Object> detail,
      String clientAddress) {}

  /** Records the entry inside the caller's transaction. */
  public void record(Handle h, AuditEntry entry) {
    String detail = json(entry.detail());
    if (detail.length() > MAX_DETAIL) {
      throw new IllegalArgumentException("audit detail of " + entry.action().code() + " is longer than " + MAX_DETAIL);
    }
    h.createUpdate("INSERT INTO audit_entry (recorded_at, actor, action, subject, detail, client_address) "
            + "VALUES (:at, :actor, :action, :subject, :detail, :address)")
        .bind("at", OffsetDateTime.now(clock)).bind("actor", entry.actor().name()).bind("action", entry.action().code())
        .bind("subject", entry.subject()).bind("detail", detail).bind("address", entry.actor().clientAddress())
        .execute();
  }

  /** Records the entry in a transaction of its own. */
  public void record(AuditEntry entry) {
    db.inTransaction(h -> {
      record(h, entry);
      return null;
    });
  }

  /** A page of the log, and the id to ask for the next page before: null on the last page. */
  public record Page(List<Recorded> items, Long nextBefore) {}

  /** Up to {@code limit} entries numbered below {@code beforeId}, newest first; only those of {@code action} if given. */
  public Page page(long beforeId, int limit, AuditAction action) {
    // One entry past the page tells whether another page exists, so the last page says so.
    List<Recorded> rows = entries(beforeId, limit + 1, action);
    List<Recorded> items = rows.subList(0, Math.min(limit, rows.size()));
    return new Page(List.copyOf(items), rows.size() > limit ? items.get(items.size() - 1).id() : null);
  }

  private List<Recorded> entries(long beforeId, int limit, AuditAction action) {
    return db.withHandle(h -> {
      Query query = h.createQuery("SELECT id, recorded_at, actor, action, subject, detail, client_address FROM audit_entry "
              + "WHERE id < :before" + (action == null ? "" : " AND action = :action") + " ORDER BY id DESC LIMIT :limit")
          .bind("before", beforeId).bind("limit", limit);
      if (action != null) {
        query.bind("action", action.code());
      }
      return query.map((rs, ctx) -> new Recorded(rs.getLong("id"),
              rs.getObject("recorded_at", OffsetDateTime.class).toInstant(), rs.getString("actor"), rs.getString("action"),
              rs.getString("subject"), detail(rs.getString("detail")), rs.getString("client_address")))
          .list();
    });
  }

  private static String json(Map<String, ?> detail) {
    try {
      return JSON.writeValueAsString(detail);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("audit detail is not plain values: " + detail, e);
    }
  }

  private static Map<String, Object> detail(String json) {
    try {
      return JSON.readValue(json, DETAIL);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("audit_entry holds a detail that is not JSON: " + json, e);
    }
  }
}
