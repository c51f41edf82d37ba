package io.verigate.server.http;

import io.verigate.client.VerigateClient;
import io.verigate.server.http.support.Json;
import io.verigate.server.testing.TestApp;
import java.util.List;
import java.util.Map;

/**
 * The operator's side of an HTTP test, set up through the node's admin API (see {@link TestApp}): customers with
 * an SDK client each, and gateways that push SMS over HTTP.
 */
final class AdminSetup {
  private final TestApp app;
  private final RawHttp http;

  AdminSetup(TestApp app) {
    this.app = app;
    this.http = new RawHttp(app.baseUrl());
  }

  /** A customer and an SDK client bound to one of its keys; the client polls quickly for tests. */
  record Customer(long id, String key, VerigateClient client) {}

  /** A number source as a gateway sees it: its name for imports and its token for pushes. */
  record Gateway(String name, String token, RawHttp http) {
    RawHttp.Reply push(String to, String from, String text, String messageId) {
      return pushAs(token, to, from, text, messageId);
    }

    RawHttp.Reply pushAs(String bearer, String to, String from, String text, String messageId) {
      String body = Json.write(Map.of("to", to, "from", from, "text", text, "messageId", messageId));
      return bearer == null ? http.post("/api/v1/inbound/sms", body)
          : http.post("/api/v1/inbound/sms", body, "Authorization", "Bearer " + bearer);
    }
  }

  /** A customer with a live key and {@code credit} in its live wallet ("0" leaves it empty). */
  Customer liveCustomer(String credit) {
    return withClient(app.liveCustomer(credit));
  }

  /** A customer of its own with a test-mode key, for tests that count its activations or money. */
  Customer sandboxCustomer() {
    return withClient(app.sandboxCustomer());
  }

  void credit(long customerId, String amount) {
    app.credit(customerId, amount);
  }

  void setPrice(String service, String country, String price) {
    app.setPrice(service, country, price);
  }

  Gateway gateway() {
    TestApp.Source source = app.createSource();
    return new Gateway(source.name(), source.token(), http);
  }

  /** Imports {@code count} fresh valid mobile numbers of the country through the gateway and returns them. */
  List<String> stock(Gateway gateway, String countryIso, int count) {
    return app.stock(gateway.name(), countryIso, null, count);
  }

  VerigateClient client(String key) {
    return VerigateClient.create(app.baseUrl(), key);
  }

  private Customer withClient(TestApp.Customer customer) {
    return new Customer(customer.id(), customer.key(), client(customer.key()));
  }
}
