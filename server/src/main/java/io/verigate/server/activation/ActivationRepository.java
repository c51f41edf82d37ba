package io.verigate.server.activation;

import io.verigate.server.account.Mode;
import io.verigate.server.wallet.Money;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.Query;

/** SQL for activations. Every method runs in the caller's handle (and transaction). */
public final class ActivationRepository {
  private static final String COLUMNS = "id, customer_id, mode, service, country, operator, number_id, phone, price, "
      + "hold_id, status, code, sms_text, sms_from, code_at, created_at, expires_at, ended_at, revision, callback_url";

  /** Inserts a new activation; returns it with the id the database gave it. */
  public Activation insert(Handle h, Activation a) {
    int id = h.createUpdate("INSERT INTO activation (customer_id, mode, service, country, operator, number_id, phone, price, "
            + "hold_id, status, created_at, expires_at, callback_url) VALUES (:customer, :mode, :service, :country, "
            + ":operator, :number, :phone, :price, :hold, :status, :created, :expires, :callback)")
        .bind("customer", a.customerId()).bind("mode", a.mode().sqlName()).bind("service", a.service())
        .bind("country", a.country()).bind("operator", a.operator()).bind("number", a.numberId())
        .bind("phone", a.phone()).bind("price", a.price().units()).bind("hold", a.holdId())
        .bind("status", a.status().name()).bind("created", utc(a.createdAt())).bind("expires", utc(a.expiresAt()))
        .bind("callback", a.callbackUrl())
        .executeAndReturnGeneratedKeys("id").mapTo(Integer.class).one();
    return a.withId(id);
  }

  /** The status read: one primary-key lookup, scoped to the owner so no one reads another's activation. */
  public Optional<Activation> find(Handle h, int id, long customerId, Mode mode) {
    return h.createQuery("SELECT " + COLUMNS + " FROM activation WHERE id = :id AND customer_id = :c AND mode = :m")
        .bind("id", id).bind("c", customerId).bind("m", mode.sqlName())
        .map((rs, ctx) -> map(rs)).findOne();
  }

  /** One activation by primary key, whoever owns it: for the copies kept in memory, whose owner each read checks. */
  public Optional<Activation> find(Handle h, int id) {
    return h.createQuery("SELECT " + COLUMNS + " FROM activation WHERE id = :id")
        .bind("id", id).map((rs, ctx) -> map(rs)).findOne();
  }

  public Optional<Activation> lock(Handle h, int id) {
    return h.createQuery("SELECT " + COLUMNS + " FROM activation WHERE id = :id FOR UPDATE")
        .bind("id", id).map((rs, ctx) -> map(rs)).findOne();
  }

  /** The live activation a number of this source is leased to, locked for the caller's update. */
  public Optional<Activation> lockLiveOnNumber(Handle h, long sourceId, String e164) {
    return h.createQuery("SELECT " + COLUMNS + " FROM activation "
            + "WHERE id = (SELECT active_activation_id FROM phone_number WHERE e164 = :e AND source_id = :s) FOR UPDATE")
        .bind("e", e164).bind("s", sourceId).map((rs, ctx) -> map(rs)).findOne().filter(a -> a.status().isLive());
  }

  public void update(Handle h, Activation a) {
    h.createUpdate("UPDATE activation SET status = :status, code = :code, sms_text = :text, sms_from = :from, "
            + "code_at = :codeAt, ended_at = :ended, revision = :revision WHERE id = :id")
        .bind("status", a.status().name()).bind("code", a.code()).bind("text", a.smsText()).bind("from", a.smsFrom())
        .bind("codeAt", utc(a.codeAt())).bind("ended", utc(a.endedAt())).bind("revision", a.revision()).bind("id", a.id())
        .execute();
  }

  public List<Activation> list(Handle h, long customerId, Mode mode, ActivationFilter filter) {
    StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM activation WHERE customer_id = :c AND mode = :m AND id < :before");
    if (filter.status() != null) {
      sql.append(" AND status = :status");
    }
    if (filter.service() != null) {
      sql.append(" AND service = :service");
    }
    if (filter.country() != null) {
      sql.append(" AND country = :country");
    }
    sql.append(" ORDER BY id DESC LIMIT :limit");
    Query q = h.createQuery(sql.toString())
        .bind("c", customerId).bind("m", mode.sqlName()).bind("before", filter.beforeId()).bind("limit", filter.limit());
    if (filter.status() != null) {
      q.bind("status", filter.status().name());
    }
    if (filter.service() != null) {
      q.bind("service", filter.service());
    }
    if (filter.country() != null) {
      q.bind("country", filter.country());
    }
    return q.map((rs, ctx) -> map(rs)).list();
  }

  /** Activations by position in id order, for clients that page with an offset. */
  public List<Activation> page(Handle h, long customerId, Mode mode, int offset, int limit, boolean newestFirst) {
    return h.createQuery("SELECT " + COLUMNS + " FROM activation WHERE customer_id = :c AND mode = :m ORDER BY id "
            + (newestFirst ? "DESC" : "ASC") + " LIMIT :limit OFFSET :offset")
        .bind("c", customerId).bind("m", mode.sqlName()).bind("limit", limit).bind("offset", offset)
        .map((rs, ctx) -> map(rs)).list();
  }

  public int count(Handle h, long customerId, Mode mode) {
    return h.createQuery("SELECT COUNT(*) FROM activation WHERE customer_id = :c AND mode = :m")
        .bind("c", customerId).bind("m", mode.sqlName()).mapTo(Integer.class).one();
  }

  /**
   * Locks up to {@code limit} live activations whose lifetime has ended, oldest first. With {@code skipLocked}
   * (PostgreSQL) rows another transaction holds are passed over instead of waited for.
   */
  public List<Activation> lockDue(Handle h, Instant now, int limit, boolean skipLocked) {
    return h.createQuery("SELECT " + COLUMNS + " FROM activation WHERE status IN ('WAITING', 'RECEIVED') "
            + "AND expires_at <= :now ORDER BY expires_at LIMIT :limit FOR UPDATE" + (skipLocked ? " SKIP LOCKED" : ""))
        .bind("now", utc(now)).bind("limit", limit).map((rs, ctx) -> map(rs)).list();
  }

  /** Live activations with a known outcome, bought since {@code since}, per service and country: for coverage figures. */
  public List<DeliveryCount> deliveryCounts(Handle h, Instant since, Instant now) {
    return h.createQuery("SELECT service, country, COUNT(*) AS counted, COUNT(code_at) AS succeeded FROM activation "
            + "WHERE mode = 'live' AND created_at > :since "
            + "AND (code_at IS NOT NULL OR status NOT IN ('WAITING', 'RECEIVED') OR expires_at <= :now) "
            + "GROUP BY service, country")
        .bind("since", utc(since)).bind("now", utc(now))
        .map((rs, ctx) -> new DeliveryCount(rs.getString("service"), rs.getString("country"), rs.getLong("succeeded"),
            rs.getLong("counted")))
        .list();
  }

  public record DeliveryCount(String service, String country, long succeeded, long counted) {}

  /** As {@link #deliveryCounts}, per country and day of purchase (the database's calendar day). */
  public List<DailyDeliveryCount> dailyDeliveryCounts(Handle h, Instant since, Instant now) {
    return h.createQuery("SELECT country, service, CAST(created_at AS DATE) AS bought_on, COUNT(*) AS counted, "
            + "COUNT(code_at) AS succeeded FROM activation WHERE mode = 'live' AND created_at > :since "
            + "AND (code_at IS NOT NULL OR status NOT IN ('WAITING', 'RECEIVED') OR expires_at <= :now) "
            + "GROUP BY country, service, CAST(created_at AS DATE)")
        .bind("since", utc(since)).bind("now", utc(now))
        .map((rs, ctx) -> new DailyDeliveryCount(rs.getString("country"), rs.getString("service"),
            rs.getObject("bought_on", java.time.LocalDate.class), rs.getLong("succeeded"), rs.getLong("counted")))
        .list();
  }

  public record DailyDeliveryCount(String country, String service, java.time.LocalDate day, long succeeded,
      long counted) {}

  public Optional<Integer> activationForPurchaseKey(Handle h, long customerId, String key) {
    return h.createQuery("SELECT activation_id FROM purchase_key WHERE customer_id = :c AND idem_key = :k")
        .bind("c", customerId).bind("k", key).mapTo(Integer.class).findOne();
  }

  public Optional<String> purchaseKeyFingerprint(Handle h, long customerId, String key) {
    return h.createQuery("SELECT fingerprint FROM purchase_key WHERE customer_id = :c AND idem_key = :k")
        .bind("c", customerId).bind("k", key).mapTo(String.class).findOne();
  }

  /** Records an idempotency key with the activation it bought, in the purchase's transaction. */
  public void recordPurchaseKey(Handle h, long customerId, String key, String fingerprint, int activationId,
      Instant now) {
    h.createUpdate("INSERT INTO purchase_key (customer_id, idem_key, fingerprint, activation_id, created_at) "
            + "VALUES (:c, :k, :f, :a, :t)")
        .bind("c", customerId).bind("k", key).bind("f", fingerprint).bind("a", activationId).bind("t", utc(now))
        .execute();
  }

  private static Activation map(ResultSet rs) throws SQLException {
    return new Activation(
        rs.getInt("id"), rs.getLong("customer_id"), Mode.fromSql(rs.getString("mode")), rs.getString("service"),
        rs.getString("country"), rs.getString("operator"), rs.getLong("number_id"), rs.getString("phone"),
        Money.ofUnits(rs.getLong("price")), rs.getLong("hold_id"), ActivationStatus.valueOf(rs.getString("status")),
        rs.getString("code"), rs.getString("sms_text"), rs.getString("sms_from"), instant(rs, "code_at"),
        instant(rs, "created_at"), instant(rs, "expires_at"), instant(rs, "ended_at"), rs.getInt("revision"),
        rs.getString("callback_url"));
  }

  private static Instant instant(ResultSet rs, String column) throws SQLException {
    OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
    return value == null ? null : value.toInstant();
  }

  private static OffsetDateTime utc(Instant instant) {
    return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
  }
}
