package io.verigate.server.upstream;

import io.verigate.server.system.Database;
import java.util.Optional;
import java.util.UUID;

/**
 * This node's id on a resale path ({@link io.verigate.server.supply.ResalePath}): a random id made on first use and
 * kept in the database, so it survives restarts and every process on one database is the same node, as its customers
 * and stock are.
 */
final class NodeId {
  static final String SETTING = "node_id";

  private NodeId() {}

  static String of(Database db) {
    return read(db).orElseGet(() -> {
      try {
        db.withHandle(h -> h.createUpdate("INSERT INTO setting (name, setting_value) VALUES (:n, :v)")
            .bind("n", SETTING).bind("v", UUID.randomUUID().toString()).execute());
      } catch (RuntimeException e) {
        if (!Database.violatesUnique(e)) {
          throw e;
        }
        // Another process on this database made it first: its id is the one read below.
      }
      return read(db).orElseThrow();
    });
  }

  private static Optional<String> read(Database db) {
    return db.withHandle(h -> h.createQuery("SELECT setting_value FROM setting WHERE name = :n").bind("n", SETTING)
        .mapTo(String.class).findOne());
  }
}
