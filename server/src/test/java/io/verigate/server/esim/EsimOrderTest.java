package io.verigate.server.esim;

import io.verigate.server.testing.TestApp;
import java.util.Map;

/** The eSIM order contract on the embedded database. */
class EsimOrderTest extends EsimOrderContract {
  @Override
  TestApp startApp() {
    return TestApp.start(Map.of());
  }
}
