package io.verigate.server.http.fivesim;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;
import io.verigate.server.account.Accounts;
import io.verigate.server.account.Mode;
import io.verigate.server.inbound.InboundMessage;
import io.verigate.server.inventory.Inventory;
import io.verigate.server.inventory.NumberSource;
import io.verigate.server.system.App;
import io.verigate.server.testing.TestApp;
import io.verigate.server.wallet.Money;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The operator's side of a live-mode test, through the node's own services: customers with live keys and
 * credit, a gateway with numbers, and SMS arriving from it; prices through the admin API, as an operator sets them.
 */
final class LiveSetup {
  private static final PhoneNumberUtil PHONES = PhoneNumberUtil.getInstance();

  private final TestApp app;
  private final NumberSource gateway;
  private final AtomicInteger nextNumber = new AtomicInteger(1000);

  LiveSetup(TestApp app) {
    this.app = app;
    this.gateway = app.app().numberSources().create("fivesim-gw", "http").source();
  }

  record Customer(long id, String key) {}

  /** A customer with a live key and {@code credit} in its live wallet ("0" leaves it empty). */
  Customer customer(String credit) {
    App node = app.app();
    Accounts.Customer customer = node.accounts().createCustomer("5sim customer " + UUID.randomUUID());
    if (!credit.equals("0")) {
      node.wallets().credit(customer.id(), Mode.LIVE, Money.parse(credit), "test credit");
    }
    return new Customer(customer.id(), node.accounts().issueKey(customer.id(), Mode.LIVE, "5sim").key());
  }

  /** Imports {@code count} fresh mobile numbers of the country from the gateway, with this operator. */
  List<String> stock(String countryIso, String operator, int count) {
    List<String> numbers = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      PhoneNumber example = PHONES.getExampleNumberForType(countryIso, PhoneNumberUtil.PhoneNumberType.MOBILE);
      String national = String.valueOf(example.getNationalNumber());
      numbers.add("+" + example.getCountryCode() + national.substring(0, national.length() - 4)
          + String.format("%04d", nextNumber.incrementAndGet()));
    }
    Inventory.ImportResult imported = app.app().inventory().importNumbers(gateway.name(), operator, numbers);
    assertThat(imported.added()).as("imported %s", imported).isEqualTo(count);
    return numbers;
  }

  /** An SMS from the gateway to one of its numbers, through the real inbound pipeline. */
  void deliver(String to, String from, String text) {
    app.app().pipeline().accept(new InboundMessage(gateway.id(), UUID.randomUUID().toString(), to, from, text,
        Instant.now()));
  }

  void setPrice(String service, String countryIso, String price) {
    app.setPrice(service, countryIso, price);
  }
}
