package io.verigate.server.email;

import io.verigate.server.account.Mode;
import io.verigate.server.activation.Activation;
import io.verigate.server.activation.ActivationStatus;
import io.verigate.server.wallet.Money;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/** SQL for email activations, their mailboxes and their idempotency keys; every method runs in the caller's handle. */
final class EmailActivationRepository {
  private static final String COLUMNS = "id, customer_id, mode, site, domain, mailbox_id, address, price, hold_id, status, "
      + "otp_value, otp_code, otp_link, subject, mail_from, mail_text, comment, code_at, created_at, expires_at, "
      + "ended_at, revision";

  /** A new mailbox; empty when the address is taken already (the caller draws another). */
  Optional<Long> insertMailbox(Handle h, String address, String domain, long customerId, Mode mode, Instant openUntil,
      Instant now) {
    boolean taken = h.createQuery("SELECT COUNT(*) FROM mailbox WHERE address = :a").bind("a", address)
        .mapTo(Integer.class).one() > 0;
    if (taken) {
      return Optional.empty();
    }
    return Optional.of(h.createUpdate("INSERT INTO mailbox (address, domain, customer_id, mode, open_until, created_at) "
            + "VALUES (:a, :d, :c, :m, :until, :now)")
        .bind("a", address).bind("d", domain).bind("c", customerId).bind("m", mode.sqlName())
        .bind("until", utc(openUntil)).bind("now", utc(now))
        .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one());
  }

  /** Keeps the mailbox taking mail until at least {@code until}. */
  void keepOpen(Handle h, long mailboxId, Instant until) {
    h.createUpdate("UPDATE mailbox SET open_until = :until WHERE id = :id AND open_until < :until")
        .bind("until", utc(until)).bind("id", mailboxId).execute();
  }

  /** The mailbox at this address, whether or not it still takes mail. */
  Optional<Long> findMailbox(Handle h, String address) {
    return h.createQuery("SELECT id FROM mailbox WHERE address = :a").bind("a", address).mapTo(Long.class).findOne();
  }

  /** The mailbox at this address while it takes mail. */
  Optional<Long> openMailbox(Handle h, String address, Instant now) {
    return h.createQuery("SELECT id FROM mailbox WHERE address = :a AND open_until > :now")
        .bind("a", address).bind("now", utc(now)).mapTo(Long.class).findOne();
  }

  EmailActivation insert(Handle h, EmailActivation a) {
    Activation l = a.lifecycle();
    int id = h.createUpdate("INSERT INTO email_activation (customer_id, mode, site, domain, mailbox_id, address, price, "
            + "hold_id, status, created_at, expires_at) VALUES (:c, :m, :site, :domain, :mailbox, :address, :price, "
            + ":hold, :status, :created, :expires)")
        .bind("c", l.customerId()).bind("m", l.mode().sqlName()).bind("site", a.site()).bind("domain", a.domain())
        .bind("mailbox", a.mailboxId()).bind("address", a.address()).bind("price", l.price().units())
        .bind("hold", l.holdId()).bind("status", l.status().name()).bind("created", utc(l.createdAt()))
        .bind("expires", utc(l.expiresAt()))
        .executeAndReturnGeneratedKeys("id").mapTo(Integer.class).one();
    return new EmailActivation(new Activation(id, l.customerId(), l.mode(), l.service(), l.country(), l.operator(),
        l.numberId(), l.phone(), l.price(), l.holdId(), l.status(), l.code(), l.smsText(), l.smsFrom(), l.codeAt(),
        l.createdAt(), l.expiresAt(), l.endedAt(), l.revision(), null), a.otpCode(), a.otpLink(), a.subject(), a.comment());
  }

  void update(Handle h, EmailActivation a) {
    Activation l = a.lifecycle();
    h.createUpdate("UPDATE email_activation SET status = :status, otp_value = :value, otp_code = :code, otp_link = :link, "
            + "subject = :subject, mail_from = :from, mail_text = :text, comment = :comment, code_at = :codeAt, "
            + "ended_at = :ended, revision = :revision WHERE id = :id")
        .bind("status", l.status().name()).bind("value", l.code()).bind("code", a.otpCode()).bind("link", a.otpLink())
        .bind("subject", a.subject()).bind("from", l.smsFrom()).bind("text", l.smsText()).bind("comment", a.comment())
        .bind("codeAt", utc(l.codeAt())).bind("ended", utc(l.endedAt())).bind("revision", l.revision())
        .bind("id", l.id()).execute();
  }

  Optional<EmailActivation> find(Handle h, int id, long customerId, Mode mode) {
    return h.createQuery("SELECT " + COLUMNS + " FROM email_activation WHERE id = :id AND customer_id = :c AND mode = :m")
        .bind("id", id).bind("c", customerId).bind("m", mode.sqlName()).map((rs, ctx) -> map(rs)).findOne();
  }

  Optional<EmailActivation> lock(Handle h, int id) {
    return h.createQuery("SELECT " + COLUMNS + " FROM email_activation WHERE id = :id FOR UPDATE")
        .bind("id", id).map((rs, ctx) -> map(rs)).findOne();
  }

  /** The newest activation of a mailbox that may still be live, locked: the one its next letter is for. */
  Optional<EmailActivation> lockLatestOnMailbox(Handle h, long mailboxId) {
    return h.createQuery("SELECT " + COLUMNS + " FROM email_activation WHERE id = (SELECT MAX(id) FROM email_activation "
            + "WHERE mailbox_id = :m) FOR UPDATE")
        .bind("m", mailboxId).map((rs, ctx) -> map(rs)).findOne();
  }

  /** Newest first; {@code beforeId} pages backwards. {@code status} and {@code site} narrow it when not null. */
  List<EmailActivation> list(Handle h, long customerId, Mode mode, ActivationStatus status, String site, String address,
      int beforeId, int limit) {
    String sql = "SELECT " + COLUMNS + " FROM email_activation WHERE customer_id = :c AND mode = :m AND id < :before"
        + (status == null ? "" : " AND status = :status") + (site == null ? "" : " AND site = :site")
        + (address == null ? "" : " AND address = :address") + " ORDER BY id DESC LIMIT :limit";
    var query = h.createQuery(sql).bind("c", customerId).bind("m", mode.sqlName()).bind("before", beforeId)
        .bind("limit", limit);
    if (status != null) {
      query.bind("status", status.name());
    }
    if (site != null) {
      query.bind("site", site);
    }
    if (address != null) {
      query.bind("address", address);
    }
    return query.map((rs, ctx) -> map(rs)).list();
  }

  /** Live activations whose lifetime is over, locked; on PostgreSQL skipping those another node holds. */
  List<EmailActivation> lockDue(Handle h, Instant now, int limit, boolean skipLocked) {
    return h.createQuery("SELECT " + COLUMNS + " FROM email_activation WHERE status IN ('WAITING', 'RECEIVED') "
            + "AND expires_at <= :now ORDER BY id LIMIT :limit FOR UPDATE" + (skipLocked ? " SKIP LOCKED" : ""))
        .bind("now", utc(now)).bind("limit", limit).map((rs, ctx) -> map(rs)).list();
  }

  Optional<String> purchaseKeyFingerprint(Handle h, long customerId, String key) {
    return h.createQuery("SELECT fingerprint FROM email_purchase_key WHERE customer_id = :c AND purchase_key = :k")
        .bind("c", customerId).bind("k", key).mapTo(String.class).findOne();
  }

  Optional<Integer> activationForPurchaseKey(Handle h, long customerId, String key) {
    return h.createQuery("SELECT activation_id FROM email_purchase_key WHERE customer_id = :c AND purchase_key = :k")
        .bind("c", customerId).bind("k", key).mapTo(Integer.class).findOne();
  }

  void recordPurchaseKey(Handle h, long customerId, String key, String fingerprint, int activationId, Instant at) {
    h.createUpdate("INSERT INTO email_purchase_key (customer_id, purchase_key, fingerprint, activation_id, created_at) "
            + "VALUES (:c, :k, :f, :a, :t)")
        .bind("c", customerId).bind("k", key).bind("f", fingerprint).bind("a", activationId).bind("t", utc(at))
        .execute();
  }

  private static EmailActivation map(ResultSet rs) throws SQLException {
    Activation lifecycle = new Activation(rs.getInt("id"), rs.getLong("customer_id"), Mode.fromSql(rs.getString("mode")),
        rs.getString("site"), "", rs.getString("domain"), rs.getLong("mailbox_id"), rs.getString("address"),
        Money.ofUnits(rs.getLong("price")), rs.getLong("hold_id"), ActivationStatus.valueOf(rs.getString("status")),
        rs.getString("otp_value"), rs.getString("mail_text"), rs.getString("mail_from"), instant(rs, "code_at"),
        instant(rs, "created_at"), instant(rs, "expires_at"), instant(rs, "ended_at"), rs.getInt("revision"), null);
    return new EmailActivation(lifecycle, rs.getString("otp_code"), rs.getString("otp_link"), rs.getString("subject"),
        rs.getString("comment"));
  }

  static Instant instant(ResultSet rs, String column) throws SQLException {
    OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
    return value == null ? null : value.toInstant();
  }

  static OffsetDateTime utc(Instant instant) {
    return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
  }

  /** Records what the activation waits for, in its purchase's transaction; nothing for an empty filter. */
  void insertFilter(Handle h, int activationId, MailFilter filter) {
    if (filter.isEmpty()) {
      return;
    }
    h.createUpdate("INSERT INTO email_filter (email_activation_id, sender, subject, regex) VALUES (:id, :s, :subj, :r)")
        .bind("id", activationId).bind("s", filter.sender()).bind("subj", filter.subject())
        .bind("r", filter.regex() == null ? null : filter.regex().pattern()).execute();
  }

  /** What the activation waits for; {@link MailFilter#NONE} when its customer asked for nothing in particular. */
  MailFilter filter(Handle h, int activationId) {
    return h.createQuery("SELECT sender, subject, regex FROM email_filter WHERE email_activation_id = :id")
        .bind("id", activationId)
        .map((rs, ctx) -> MailFilter.of(rs.getString("sender"), rs.getString("subject"), rs.getString("regex")))
        .findOne().orElse(MailFilter.NONE);
  }
}
