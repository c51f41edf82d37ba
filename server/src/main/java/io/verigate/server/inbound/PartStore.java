package io.verigate.server.inbound;

import io.verigate.server.system.Database;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/**
 * The part journal ({@code inbound_part}): parts of long messages, each committed on its own before its sender hears
 * it was received, waiting until their message is whole or timed out. Journaled parts stay a day, marked with their
 * message, so that a part resent after its message was journaled is recognised.
 */
final class PartStore {
  /** What storing a part found. */
  enum Stored {
    /** The part is now waiting with its message's other parts. */
    NEW,
    /** The same part is already waiting: its sender sent it again. */
    REPEATED,
    /** Another part with this number is waiting: the sender reused the message's reference for a new message. */
    CLASHED
  }

  /** A message of this source whose first part waited longer than its reassembly timeout. */
  record Overdue(long sourceId, String key) {}

  private final Database db;

  PartStore(Database db) {
    this.db = db;
  }

  /** Stores a part that waits for the rest of its message until {@code expiresAt} at the latest. */
  Stored store(long sourceId, Part part, Instant expiresAt) {
    return db.inTransaction(h -> {
      List<String> waiting = h.createQuery("SELECT payload FROM inbound_part "
              + "WHERE source_id = :s AND concat_key = :k AND seq = :n AND message_id IS NULL")
          .bind("s", sourceId).bind("k", part.key()).bind("n", part.number())
          .mapTo(String.class).list();
      if (waiting.contains(part.payload())) {
        return Stored.REPEATED;
      }
      if (!waiting.isEmpty()) {
        return Stored.CLASHED;
      }
      h.createUpdate("INSERT INTO inbound_part (source_id, channel, concat_key, seq, total, sender, receiver, "
              + "data_coding, payload, received_at, expires_at) VALUES (:s, :channel, :k, :n, :total, :sender, :receiver, :coding, "
              + ":payload, :at, :expires)")
          .bind("s", sourceId).bind("channel", part.channel()).bind("k", part.key()).bind("n", part.number())
          .bind("total", part.total()).bind("sender", part.sender()).bind("receiver", part.receiver())
          .bind("coding", part.dataCoding()).bind("payload", part.payload()).bind("at", utc(part.receivedAt()))
          .bind("expires", utc(expiresAt))
          .execute();
      return Stored.NEW;
    });
  }

  /** The parts of the message that wait to be journaled, if any do. */
  Optional<PartGroup> waiting(long sourceId, String key) {
    List<Part> parts = db.withHandle(h -> h.createQuery("SELECT channel, seq, total, sender, receiver, data_coding, "
            + "payload, received_at FROM inbound_part WHERE source_id = :s AND concat_key = :k AND message_id IS NULL "
            + "ORDER BY seq, id")
        .bind("s", sourceId).bind("k", key)
        .map((rs, ctx) -> new Part(rs.getString("channel"), key, rs.getInt("seq"), rs.getInt("total"),
            rs.getString("sender"), rs.getString("receiver"), rs.getInt("data_coding"), rs.getString("payload"),
            rs.getObject("received_at", OffsetDateTime.class).toInstant()))
        .list());
    return parts.isEmpty() ? Optional.empty() : Optional.of(PartGroup.of(parts));
  }

  /** Marks the waiting parts the group was made of, copies sent twice included, as journaled in the message. */
  void journaled(long sourceId, PartGroup group, long messageId) {
    db.inTransaction(h -> {
      for (Part part : group.parts()) {
        h.createUpdate("UPDATE inbound_part SET message_id = :m WHERE source_id = :s AND concat_key = :k AND seq = :n "
                + "AND payload = :payload AND message_id IS NULL")
            .bind("m", messageId).bind("s", sourceId).bind("k", part.key()).bind("n", part.number())
            .bind("payload", part.payload())
            .execute();
      }
      return null;
    });
  }

  /**
   * The message these very parts were journaled in already, when every one of them was: their sender resent parts
   * whose acknowledgement it missed after their message had been journaled.
   */
  Optional<Long> journaledBefore(long sourceId, PartGroup group) {
    return db.withHandle(h -> {
      Long message = null;
      for (Part part : group.parts()) {
        Optional<Long> earlier = earlierCopy(h, sourceId, part);
        if (earlier.isEmpty()) {
          return Optional.empty();
        }
        message = earlier.get();
      }
      return Optional.ofNullable(message);
    });
  }

  private static Optional<Long> earlierCopy(Handle h, long sourceId, Part part) {
    return h.createQuery("SELECT message_id FROM inbound_part WHERE source_id = :s AND concat_key = :k AND seq = :n "
            + "AND payload = :payload AND message_id IS NOT NULL ORDER BY id DESC")
        .bind("s", sourceId).bind("k", part.key()).bind("n", part.number()).bind("payload", part.payload())
        .mapTo(Long.class).findFirst();
  }

  List<Overdue> overdue(Instant now) {
    return db.withHandle(h -> h.createQuery("SELECT DISTINCT source_id, concat_key FROM inbound_part "
            + "WHERE message_id IS NULL AND expires_at < :now")
        .bind("now", utc(now))
        .map((rs, ctx) -> new Overdue(rs.getLong("source_id"), rs.getString("concat_key")))
        .list());
  }

  /** Drops journaled parts that expired before the instant; waiting parts are never dropped. */
  void forget(Instant before) {
    db.withHandle(h -> h.createUpdate("DELETE FROM inbound_part WHERE message_id IS NOT NULL AND expires_at < :before")
        .bind("before", utc(before))
        .execute());
  }

  private static OffsetDateTime utc(Instant instant) {
    return instant.atOffset(ZoneOffset.UTC);
  }
}
