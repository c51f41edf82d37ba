package io.verigate.server.system;

import io.verigate.server.testing.TestDatabases;

/** The outbox on the embedded database. */
class OutboxTest extends OutboxContract {
  @Override
  String freshDatabase() {
    return TestDatabases.freshH2();
  }

  @Override
  void dropDatabase(String url) {}
}
