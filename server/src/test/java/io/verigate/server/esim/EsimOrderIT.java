package io.verigate.server.esim;

import io.verigate.server.testing.TestApp;
import java.util.Map;

/** The eSIM order contract on PostgreSQL, where concurrent orders pass each other's claimed profiles (SKIP LOCKED). */
class EsimOrderIT extends EsimOrderContract {
  @Override
  TestApp startApp() {
    return TestApp.startOnPostgres(Map.of());
  }
}
