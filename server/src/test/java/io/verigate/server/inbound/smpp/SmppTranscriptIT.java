package io.verigate.server.inbound.smpp;

import io.verigate.server.testing.TestApp;
import io.verigate.server.testing.TestDatabases;
import java.util.Map;

/** The transcript of {@link SmppTranscriptTest} on PostgreSQL: the same SMSC and PDUs, the production store. */
class SmppTranscriptIT extends SmppTranscriptTest {
  @Override
  TestApp startNode() {
    return TestApp.startOnPostgres(Map.of());
  }

  @Override
  String freshDatabase() {
    return TestDatabases.freshPostgres();
  }

  @Override
  void dropDatabase(String url) {
    TestDatabases.dropPostgres(url);
  }
}
