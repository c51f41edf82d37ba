package io.verigate.server.system;

import java.util.List;
import org.jdbi.v3.core.Handle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The start-up pass that seals, under the current master key, every stored source secret that is in clear (stored
 * before sealing existed, or while the node had no key) or sealed under {@code master-key-previous}.
 *
 * <p>It reads only such values: the filter leaves out every value already sealed under the current key, so a node
 * with 100k sealed eSIM profiles starts without reading or locking any of them. What it does read it locks and seals a
 * batch per transaction, walking each table by its key, so nodes starting at once seal each value once and no start
 * holds every row of a table locked.
 */
final class SealingPass {
  static final int BATCH = 500;
  private static final Logger log = LoggerFactory.getLogger(SealingPass.class);

  /** A column holding source secrets, and the key of its rows. */
  record Column(String table, String id, String secret) {

    /** Values of this column that are stored and not sealed under the key whose sealed values begin so. */
    String pending() {
      return "FROM " + table + " WHERE " + secret + " IS NOT NULL AND " + secret + " <> '' AND " + secret
          + " NOT LIKE :sealedPrefix";
    }
  }

  static final List<Column> COLUMNS = List.of(
      new Column("number_source", "id", "signing_secret"),
      new Column("smpp_link", "source_id", "password"),
      new Column("smshub_agent", "source_id", "protocol_key"),
      // Webhook signing secrets: the node signs with them, so they are sealed, not hashed.
      new Column("webhook_endpoint", "id", "secret"),
      new Column("webhook_endpoint", "id", "previous_secret"),
      // eSIM profiles: the matching id and confirmation code install the eSIM, in stock and once sold.
      new Column("esim_profile", "id", "matching_id"),
      new Column("esim_profile", "id", "confirmation_code"),
      new Column("esim", "id", "matching_id"),
      new Column("esim", "id", "confirmation_code"));

  private record Pending(long id, String value) {}

  private SealingPass() {}

  /** Seals what needs it with {@code box}, which has a key; returns how many values it sealed. */
  static int run(Database db, SecretBox box, int batch) {
    String sealedPrefix = box.sealedPrefix() + "%";
    int sealed = 0;
    for (Column column : COLUMNS) {
      long after = Long.MIN_VALUE;
      List<Pending> pending;
      do {
        long from = after;
        pending = db.inTransaction(h -> {
          List<Pending> rows = lock(h, column, sealedPrefix, from, batch);
          rows.forEach(row -> seal(h, box, column, row));
          return rows;
        });
        sealed += pending.size();
        after = pending.isEmpty() ? after : pending.get(pending.size() - 1).id();
      } while (!pending.isEmpty());
    }
    if (sealed > 0) {
      log.info("sealed {} source secrets under master key {}", sealed, box.currentKeyId());
    }
    return sealed;
  }

  /** How many values are stored in clear: what a node without a key warns about. */
  static long inClear(Database db) {
    return db.withHandle(h -> COLUMNS.stream()
        .mapToLong(column -> h.createQuery("SELECT COUNT(*) " + column.pending()).bind("sealedPrefix", SecretBox.VERSION + "%")
            .mapTo(Long.class).one())
        .sum());
  }

  /** Whether any value is sealed, under whichever key: a node that cannot have a key then must not start. */
  static boolean anySealed(Database db) {
    return db.withHandle(h -> COLUMNS.stream().anyMatch(column -> h.createQuery("SELECT 1 FROM " + column.table()
            + " WHERE " + column.secret() + " LIKE :sealed FETCH FIRST 1 ROWS ONLY")
        .bind("sealed", SecretBox.VERSION + "%")
        .mapTo(Integer.class).findOne().isPresent()));
  }

  /** The next batch of values to seal after row {@code after}, locked. */
  private static List<Pending> lock(Handle h, Column column, String sealedPrefix, long after, int batch) {
    return h.createQuery("SELECT " + column.id() + " AS id, " + column.secret() + " AS secret " + column.pending()
            + " AND " + column.id() + " > :after ORDER BY " + column.id() + " LIMIT :batch FOR UPDATE")
        .bind("sealedPrefix", sealedPrefix).bind("after", after).bind("batch", batch)
        .map((rs, ctx) -> new Pending(rs.getLong("id"), rs.getString("secret")))
        .list();
  }

  private static void seal(Handle h, SecretBox box, Column column, Pending row) {
    if (!box.canOpen(row.value())) {
      throw new ConfigException("a source secret is sealed under master key " + SecretBox.keyId(row.value())
          + ", which is neither master-key nor master-key-previous (this node's key is " + box.currentKeyId()
          + "): configure the key it was sealed with, as master-key or, while rotating, master-key-previous");
    }
    h.createUpdate("UPDATE " + column.table() + " SET " + column.secret() + " = :v WHERE " + column.id() + " = :id")
        .bind("v", box.seal(box.open(row.value()))).bind("id", row.id()).execute();
  }
}
