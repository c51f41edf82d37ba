package io.verigate.server.http.legacy;

import io.verigate.server.testing.TestApp;
import java.time.Clock;
import java.util.List;

/**
 * The operator's side of a test (see {@link TestApp}): customers' keys with credit, a gateway with numbers and
 * the SMS it delivers, received on the test's clock.
 */
final class Shop {
  private final TestApp app;
  private final Clock clock;
  private final TestApp.Source gateway;

  Shop(TestApp app, Clock clock) {
    this.app = app;
    this.clock = clock;
    this.gateway = app.createSource();
  }

  /** The key of a new customer with a live key and {@code credit} in its live wallet ("0" leaves it empty). */
  String liveKey(String credit) {
    return app.liveCustomer(credit).key();
  }

  /** The test-mode key of a new customer, for tests that count its activations or money. */
  String sandboxKey() {
    return app.sandboxCustomer().key();
  }

  /** Imports these numbers (E.164) from the gateway, with this operator. */
  void stock(String operator, String... numbers) {
    app.importNumbers(gateway.name(), operator, List.of(numbers));
  }

  /** An SMS from the gateway to one of its numbers, through the real inbound pipeline. */
  void deliver(String to, String from, String text) {
    app.deliver(gateway, to, from, text, clock.instant());
  }

  void setPrice(String service, String countryIso, String price) {
    app.setPrice(service, countryIso, price);
  }

  void setPrice(String service, String countryIso, String operator, String price) {
    app.setPrice(service, countryIso, operator, price);
  }
}
