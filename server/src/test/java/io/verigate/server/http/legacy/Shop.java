package io.verigate.server.http.legacy;

import static org.assertj.core.api.Assertions.assertThat;

import io.verigate.server.account.Accounts;
import io.verigate.server.account.Mode;
import io.verigate.server.inbound.InboundMessage;
import io.verigate.server.inventory.Inventory;
import io.verigate.server.inventory.NumberSource;
import io.verigate.server.system.App;
import io.verigate.server.testing.TestApp;
import io.verigate.server.wallet.Money;
import java.time.Clock;
import java.util.List;
import java.util.UUID;

/**
 * The operator's side of a test, through the node's own services: customers with keys and credit, a gateway
 * with numbers and the SMS it delivers; prices through the admin API, as an operator sets them.
 */
final class Shop {
  private final TestApp app;
  private final Clock clock;
  private final NumberSource gateway;

  Shop(TestApp app, Clock clock) {
    this.app = app;
    this.clock = clock;
    this.gateway = app.app().numberSources().create("legacy-gw-" + UUID.randomUUID(), "http").source();
  }

  /** The key of a new customer with a live key and {@code credit} in its live wallet ("0" leaves it empty). */
  String liveKey(String credit) {
    App node = app.app();
    Accounts.Customer customer = node.accounts().createCustomer("sms-activate customer " + UUID.randomUUID());
    if (!credit.equals("0")) {
      node.wallets().credit(customer.id(), Mode.LIVE, Money.parse(credit), "test credit");
    }
    return node.accounts().issueKey(customer.id(), Mode.LIVE, "legacy").key();
  }

  /** The test-mode key of a new customer, for tests that count its activations or money. */
  String sandboxKey() {
    App node = app.app();
    Accounts.Customer customer = node.accounts().createCustomer("sandbox customer " + UUID.randomUUID());
    return node.accounts().issueKey(customer.id(), Mode.TEST, "legacy").key();
  }

  /** Imports these numbers (E.164) from the gateway, with this operator. */
  void stock(String operator, String... numbers) {
    Inventory.ImportResult imported = app.app().inventory().importNumbers(gateway.name(), operator, List.of(numbers));
    assertThat(imported.added()).as("imported %s", imported).isEqualTo(numbers.length);
  }

  /** An SMS from the gateway to one of its numbers, through the real inbound pipeline. */
  void deliver(String to, String from, String text) {
    app.app().pipeline().accept(new InboundMessage(gateway.id(), UUID.randomUUID().toString(), to, from, text,
        clock.instant()));
  }

  void setPrice(String service, String countryIso, String price) {
    app.setPrice(service, countryIso, price);
  }
}
