package io.verigate.server.http;

import io.verigate.server.testing.TestApp;
import java.util.Map;

/** The bursts of {@link PurchaseBurstTest} on PostgreSQL, where row locks and SKIP LOCKED decide the races. */
class PurchaseBurstIT extends PurchaseBurstTest {
  @Override
  TestApp startNode() {
    return TestApp.startOnPostgres(Map.of("db-pool-size", "16"));
  }
}
