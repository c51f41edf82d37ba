package io.verigate.server.http.fivesim;

import io.verigate.server.testing.TestApp;
import java.time.Instant;
import java.util.List;

/**
 * The operator's side of a live-mode test (see {@link TestApp}): customers with live keys and credit, a gateway
 * with numbers, and SMS arriving from it.
 */
final class LiveSetup {
  private final TestApp app;
  private final TestApp.Source gateway;

  LiveSetup(TestApp app) {
    this.app = app;
    this.gateway = app.createSource();
  }

  record Customer(long id, String key) {}

  /** A customer with a live key and {@code credit} in its live wallet ("0" leaves it empty). */
  Customer customer(String credit) {
    TestApp.Customer customer = app.liveCustomer(credit);
    return new Customer(customer.id(), customer.key());
  }

  /** Imports {@code count} fresh mobile numbers of the country from the gateway, with this operator. */
  List<String> stock(String countryIso, String operator, int count) {
    return app.stock(gateway.name(), countryIso, operator, count);
  }

  /** An SMS from the gateway to one of its numbers, through the real inbound pipeline. */
  void deliver(String to, String from, String text) {
    app.deliver(gateway, to, from, text, Instant.now());
  }

  void setPrice(String service, String countryIso, String price) {
    app.setPrice(service, countryIso, price);
  }
}
