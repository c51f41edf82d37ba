package io.verigate.server.esim;

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

/** The SQL of orders, eSIMs, top-ups and order keys; every method runs in the caller's transaction. */
final class EsimRepository {
  private final SealedProfiles sealed;

  EsimRepository(SealedProfiles sealed) {
    this.sealed = sealed;
  }

  private static final String ESIM_COLUMNS = "id, order_id, customer_id, mode, plan_id, iccid, smdp_address, matching_id, "
      + "confirmation_code, price, data_mb, used_mb, validity_days, state, activated_at, refunded_at, created_at";

  long insertOrder(Handle h, long customerId, Mode mode, EsimPlan plan, int quantity, Money price, long holdId,
      String supplier, Instant at) {
    return h.createUpdate("INSERT INTO esim_order (customer_id, mode, plan_id, quantity, price, hold_id, supplier, "
            + "created_at) VALUES (:c, :m, :p, :q, :price, :hold, :s, :at)")
        .bind("c", customerId).bind("m", mode.sqlName()).bind("p", plan.id()).bind("q", quantity)
        .bind("price", price.units()).bind("hold", holdId).bind("s", supplier).bind("at", utc(at))
        .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
  }

  Esim insertEsim(Handle h, long orderId, long customerId, Mode mode, EsimPlan plan, Profile profile, Instant at) {
    long id = h.createUpdate("INSERT INTO esim (order_id, customer_id, mode, plan_id, iccid, smdp_address, matching_id, "
            + "confirmation_code, price, data_mb, used_mb, validity_days, state, created_at) VALUES (:o, :c, :m, :p, "
            + ":iccid, :smdp, :mid, :cc, :price, :data, 0, :days, :state, :at)")
        .bind("o", orderId).bind("c", customerId).bind("m", mode.sqlName()).bind("p", plan.id())
        .bind("iccid", profile.iccid()).bind("smdp", profile.activationCode().smdpAddress())
        .bind("mid", sealed.seal(profile.activationCode().matchingId())).bind("cc", sealed.seal(profile.confirmationCode()))
        .bind("price", plan.price().units()).bind("data", plan.dataMb()).bind("days", plan.validityDays())
        .bind("state", EsimStatus.NOT_ACTIVE.name()).bind("at", utc(at))
        .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
    return new Esim(id, orderId, customerId, mode, plan.id(), profile, plan.price(), plan.dataMb(), 0,
        plan.validityDays(), EsimStatus.NOT_ACTIVE, null, null, at);
  }

  /** The order's row as stored: who placed it, and its plan, quantity, total, supplier and time. */
  record OrderRow(long id, long customerId, Mode mode, String planId, int quantity, Money price, String supplier,
      Instant createdAt) {}

  Optional<OrderRow> findOrder(Handle h, long id) {
    return h.createQuery("SELECT id, customer_id, mode, plan_id, quantity, price, supplier, created_at FROM esim_order "
            + "WHERE id = :id")
        .bind("id", id)
        .map((rs, ctx) -> new OrderRow(rs.getLong("id"), rs.getLong("customer_id"), Mode.fromSql(rs.getString("mode")),
            rs.getString("plan_id"), rs.getInt("quantity"), Money.ofUnits(rs.getLong("price")), rs.getString("supplier"),
            instant(rs, "created_at")))
        .findOne();
  }

  List<Esim> esimsOfOrder(Handle h, long orderId) {
    return h.createQuery("SELECT " + ESIM_COLUMNS + " FROM esim WHERE order_id = :o ORDER BY id").bind("o", orderId)
        .map((rs, ctx) -> map(rs)).list();
  }

  Optional<Esim> find(Handle h, long id, long customerId, Mode mode) {
    return h.createQuery("SELECT " + ESIM_COLUMNS + " FROM esim WHERE id = :id AND customer_id = :c AND mode = :m")
        .bind("id", id).bind("c", customerId).bind("m", mode.sqlName()).map((rs, ctx) -> map(rs)).findOne();
  }

  Optional<Esim> lock(Handle h, long id) {
    return h.createQuery("SELECT " + ESIM_COLUMNS + " FROM esim WHERE id = :id FOR UPDATE").bind("id", id)
        .map((rs, ctx) -> map(rs)).findOne();
  }

  /** Newest first, below {@code beforeId}. */
  List<Esim> list(Handle h, long customerId, Mode mode, long beforeId, int limit) {
    return h.createQuery("SELECT " + ESIM_COLUMNS + " FROM esim WHERE customer_id = :c AND mode = :m AND id < :before "
            + "ORDER BY id DESC LIMIT :limit")
        .bind("c", customerId).bind("m", mode.sqlName()).bind("before", beforeId).bind("limit", limit)
        .map((rs, ctx) -> map(rs)).list();
  }

  void update(Handle h, Esim esim) {
    h.createUpdate("UPDATE esim SET data_mb = :data, used_mb = :used, validity_days = :days, state = :state, "
            + "activated_at = :activated, refunded_at = :refunded WHERE id = :id")
        .bind("data", esim.dataMb()).bind("used", esim.usedMb()).bind("days", esim.validityDays())
        .bind("state", esim.state().name()).bind("activated", utc(esim.activatedAt()))
        .bind("refunded", utc(esim.refundedAt())).bind("id", esim.id()).execute();
  }

  long insertTopUp(Handle h, long esimId, EsimPlan plan, long holdId, Instant at) {
    return h.createUpdate("INSERT INTO esim_topup (esim_id, plan_id, price, hold_id, created_at) VALUES (:e, :p, "
            + ":price, :hold, :at)")
        .bind("e", esimId).bind("p", plan.id()).bind("price", plan.price().units()).bind("hold", holdId)
        .bind("at", utc(at)).executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
  }

  void refundTopUp(Handle h, long topUpId, Instant at) {
    h.createUpdate("UPDATE esim_topup SET refunded_at = :at WHERE id = :id").bind("at", utc(at)).bind("id", topUpId)
        .execute();
  }

  /**
   * Claims the next usage poll of an eSIM sold by {@code supplier}: true for the one caller that finds its last poll
   * older than {@code staleBefore} (or none), on any node; false for the others and for eSIMs of other suppliers.
   */
  boolean claimUsagePoll(Handle h, long esimId, String supplier, Instant now, Instant staleBefore) {
    return h.createUpdate("UPDATE esim SET usage_checked_at = :now WHERE id = :id AND refunded_at IS NULL "
            + "AND (usage_checked_at IS NULL OR usage_checked_at < :stale) "
            + "AND order_id IN (SELECT id FROM esim_order WHERE supplier = :supplier)")
        .bind("now", utc(now)).bind("id", esimId).bind("stale", utc(staleBefore)).bind("supplier", supplier)
        .execute() == 1;
  }

  /**
   * Records that the supplier announced {@code level} for the eSIM and that its usage must be polled afresh; false when
   * that level was the last one announced (a retried notification).
   */
  boolean noteLowData(Handle h, long esimId, String level) {
    return h.createUpdate("UPDATE esim SET last_low_data = :level, usage_checked_at = NULL WHERE id = :id AND "
            + "(last_low_data IS NULL OR last_low_data <> :level)")
        .bind("level", level).bind("id", esimId).execute() == 1;
  }

  /** The eSIM sold with this ICCID by {@code supplier}, locked. */
  Optional<Esim> lockByIccid(Handle h, String iccid, String supplier) {
    return h.createQuery("SELECT " + ESIM_COLUMNS + " FROM esim WHERE iccid = :iccid AND order_id IN (SELECT id FROM "
            + "esim_order WHERE supplier = :supplier) ORDER BY id DESC LIMIT 1 FOR UPDATE")
        .bind("iccid", iccid).bind("supplier", supplier).map((rs, ctx) -> map(rs)).findOne();
  }

  Optional<String> orderKeyFingerprint(Handle h, long customerId, String key) {
    return h.createQuery("SELECT fingerprint FROM esim_order_key WHERE customer_id = :c AND order_key = :k")
        .bind("c", customerId).bind("k", key).mapTo(String.class).findOne();
  }

  Optional<Long> orderForKey(Handle h, long customerId, String key) {
    return h.createQuery("SELECT order_id FROM esim_order_key WHERE customer_id = :c AND order_key = :k")
        .bind("c", customerId).bind("k", key).mapTo(Long.class).findOne();
  }

  /** Claims an order key before the order exists (order id 0 until {@link #keyOrder}); a repeat meets the unique key. */
  void claimOrderKey(Handle h, long customerId, String key, String fingerprint, Instant at) {
    h.createUpdate("INSERT INTO esim_order_key (customer_id, order_key, fingerprint, order_id, created_at) "
            + "VALUES (:c, :k, :f, 0, :t)")
        .bind("c", customerId).bind("k", key).bind("f", fingerprint).bind("t", utc(at)).execute();
  }

  void keyOrder(Handle h, long customerId, String key, long orderId) {
    h.createUpdate("UPDATE esim_order_key SET order_id = :o WHERE customer_id = :c AND order_key = :k")
        .bind("o", orderId).bind("c", customerId).bind("k", key).execute();
  }

  private Esim map(ResultSet rs) throws SQLException {
    Profile profile = sealed.read(rs);
    return new Esim(rs.getLong("id"), rs.getLong("order_id"), rs.getLong("customer_id"),
        Mode.fromSql(rs.getString("mode")), rs.getString("plan_id"), profile, Money.ofUnits(rs.getLong("price")),
        rs.getObject("data_mb", Long.class), rs.getLong("used_mb"), rs.getInt("validity_days"),
        EsimStatus.valueOf(rs.getString("state")), instant(rs, "activated_at"), instant(rs, "refunded_at"),
        instant(rs, "created_at"));
  }

  private static Instant instant(ResultSet rs, String column) throws SQLException {
    OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
    return value == null ? null : value.toInstant();
  }

  private static OffsetDateTime utc(Instant at) {
    return at == null ? null : at.atOffset(ZoneOffset.UTC);
  }
}
