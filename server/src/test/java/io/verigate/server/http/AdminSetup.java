package io.verigate.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;
import io.verigate.client.VerigateClient;
import io.verigate.server.http.support.Json;
import io.verigate.server.testing.TestApp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The operator's side of an HTTP test: customers with keys, gateways with numbers, wallet credits and
 * prices, all set up through the admin API as a real operator would.
 */
final class AdminSetup {
  private static final PhoneNumberUtil PHONES = PhoneNumberUtil.getInstance();
  /** Numbers are unique per node; a counter shared by every test keeps imports from colliding. */
  private static final AtomicInteger NEXT_NUMBER = new AtomicInteger(7000);
  private static final AtomicInteger NEXT_NAME = new AtomicInteger();

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
    Customer customer = customer("live");
    if (!credit.equals("0")) {
      credit(customer.id(), credit);
    }
    return customer;
  }

  /** A customer of its own with a test-mode key, for tests that count its activations or money. */
  Customer sandboxCustomer() {
    return customer("test");
  }

  void credit(long customerId, String amount) {
    call("POST", "/admin/v1/customers/" + customerId + "/wallet/credit", Map.of("amount", amount));
  }

  void setPrice(String service, String country, String price) {
    call("PUT", "/admin/v1/prices", Map.of("service", service, "country", country, "price", price));
  }

  Gateway gateway() {
    RawHttp.Reply created = call("POST", "/admin/v1/sources", Map.of("name", "gw" + NEXT_NAME.incrementAndGet()));
    return new Gateway(created.text("name"), created.text("token"), http);
  }

  /** Imports {@code count} fresh valid mobile numbers of the country through the gateway and returns them. */
  List<String> stock(Gateway gateway, String countryIso, int count) {
    List<String> numbers = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      numbers.add(freshMobileNumber(countryIso));
    }
    RawHttp.Reply imported = call("POST", "/admin/v1/numbers", Map.of("source", gateway.name(), "numbers", numbers));
    assertThat(imported.json().get("added").asInt()).as(imported.body()).isEqualTo(count);
    return numbers;
  }

  private Customer customer(String mode) {
    RawHttp.Reply created = call("POST", "/admin/v1/customers", Map.of("name", "customer " + NEXT_NAME.incrementAndGet()));
    long id = created.json().get("id").asLong();
    String key = call("POST", "/admin/v1/customers/" + id + "/keys", Map.of("mode", mode)).text("key");
    return new Customer(id, key, client(key));
  }

  VerigateClient client(String key) {
    return VerigateClient.builder(app.baseUrl(), key).pollInterval(Duration.ofMillis(50), Duration.ofMillis(200)).build();
  }

  private RawHttp.Reply call(String method, String path, Map<String, ?> body) {
    RawHttp.Reply reply = http.send(method, path, Json.write(body), "Authorization", "Bearer " + app.adminToken());
    assertThat(reply.status()).as("%s %s: %s", method, path, reply.body()).isBetween(200, 299);
    return reply;
  }

  /** The country's example mobile number with its last four digits replaced by a counter. */
  private static String freshMobileNumber(String countryIso) {
    PhoneNumber example = PHONES.getExampleNumberForType(countryIso.toUpperCase(Locale.ROOT), PhoneNumberUtil.PhoneNumberType.MOBILE);
    String national = String.valueOf(example.getNationalNumber());
    return "+" + example.getCountryCode() + national.substring(0, national.length() - 4)
        + String.format("%04d", NEXT_NUMBER.incrementAndGet() % 10_000);
  }
}
