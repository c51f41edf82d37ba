package io.verigate.server.http.legacy;

import io.verigate.server.account.Mode;
import io.verigate.server.catalog.Country;
import io.verigate.server.catalog.TargetService;
import io.verigate.server.inventory.Inventory;
import java.util.Map;
import java.util.function.ToIntFunction;

/** How many numbers a customer could buy right now: the live inventory for live keys, plenty for test keys. */
final class Stock {
  /** Test keys buy synthetic numbers, so the sandbox never runs out; listings show this count. */
  static final int SANDBOX_AVAILABILITY = 9999;

  private final Inventory inventory;

  Stock(Inventory inventory) {
    this.inventory = inventory;
  }

  /** Free numbers per service code in one country. */
  ToIntFunction<String> inCountry(Mode mode, Country country) {
    if (mode == Mode.TEST) {
      return service -> SANDBOX_AVAILABILITY;
    }
    Inventory.CountryStock stock = inventory.stockIn(Mode.LIVE, country.iso());
    return service -> Math.max(0, stock.availableFor(service));
  }

  /** Free numbers per country for one service. */
  ToIntFunction<Country> forService(Mode mode, TargetService service) {
    if (mode == Mode.TEST) {
      return country -> SANDBOX_AVAILABILITY;
    }
    Map<String, Integer> byIso = inventory.availability(Mode.LIVE, service.code());
    return country -> byIso.getOrDefault(country.iso(), 0);
  }
}
