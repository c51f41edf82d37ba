package io.verigate.server.email;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/** SQL for the mail journal: every letter a mailbox accepted, raw, with what was read from it. */
final class MailJournal {

  /** Deletes the letters received before {@code cutoff}; returns how many. */
  int purgeOlderThan(Handle h, Instant cutoff) {
    return h.createUpdate("DELETE FROM mail_message WHERE received_at < :cutoff")
        .bind("cutoff", cutoff.atOffset(ZoneOffset.UTC)).execute();
  }

  Optional<Long> find(Handle h, long mailboxId, String messageKey) {
    return h.createQuery("SELECT id FROM mail_message WHERE mailbox_id = :m AND message_key = :k")
        .bind("m", mailboxId).bind("k", messageKey).mapTo(Long.class).findOne();
  }

  long insert(Handle h, long mailboxId, String messageKey, String envelopeFrom, byte[] raw, ParsedMail mail,
      MailFindings found, Instant at) {
    return h.createUpdate("INSERT INTO mail_message (mailbox_id, message_key, envelope_from, raw, subject, from_header, "
            + "code, link, received_at) VALUES (:m, :k, :ef, :raw, :subject, :from, :code, :link, :at)")
        .bind("m", mailboxId).bind("k", messageKey)
        .bind("ef", EmailActivation.cut(envelopeFrom, 320)).bind("raw", raw)
        .bind("subject", EmailActivation.cut(mail.subject(), EmailActivation.MAX_HEADER))
        .bind("from", EmailActivation.cut(mail.from(), EmailActivation.MAX_HEADER))
        .bind("code", found.code()).bind("link", found.link()).bind("at", at.atOffset(ZoneOffset.UTC))
        .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
  }

  Optional<MailReceipt> receipt(Handle h, long mailboxId, String messageKey) {
    return h.createQuery("SELECT id, email_activation_id, code, link FROM mail_message "
            + "WHERE mailbox_id = :m AND message_key = :k")
        .bind("m", mailboxId).bind("k", messageKey)
        .map((rs, ctx) -> new MailReceipt(rs.getLong("id"), (Integer) rs.getObject("email_activation_id", Integer.class),
            false, new MailFindings(rs.getString("code"), rs.getString("link"))))
        .findOne();
  }

  /** Records which live activation a letter reached. */
  void reached(Handle h, long messageId, int emailActivationId) {
    h.createUpdate("UPDATE mail_message SET email_activation_id = :a WHERE id = :id")
        .bind("a", emailActivationId).bind("id", messageId).execute();
  }

  /** The raw bytes of the newest letter that reached an activation. */
  Optional<byte[]> latestFor(Handle h, int emailActivationId) {
    return h.createQuery("SELECT raw FROM mail_message WHERE email_activation_id = :a ORDER BY id DESC LIMIT 1")
        .bind("a", emailActivationId).mapTo(byte[].class).findOne();
  }
}
