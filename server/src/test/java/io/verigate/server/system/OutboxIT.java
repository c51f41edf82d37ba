package io.verigate.server.system;

import io.verigate.server.testing.TestDatabases;

/** The outbox on PostgreSQL, where nodes claim with {@code SKIP LOCKED}. */
class OutboxIT extends OutboxContract {
  @Override
  String freshDatabase() {
    return TestDatabases.freshPostgres();
  }

  @Override
  void dropDatabase(String url) {
    TestDatabases.dropPostgres(url);
  }
}
