package io.verigate.server.http.legacy;

import io.verigate.server.account.Mode;
import io.verigate.server.catalog.Country;
import io.verigate.server.catalog.TargetService;
import io.verigate.server.http.rest.RestRoutes;
import io.verigate.server.inventory.Inventory;
import java.util.Map;
import java.util.function.ToIntFunction;

/**
 * How many numbers a customer could buy right now: the live inventory for live keys; for test keys the sandbox,
 * which never runs out.
 */
final class Stock {
  private final Inventory inventory;

  Stock(Inventory inventory) {
    this.inventory = inventory;
  }

  /** Free numbers per service code in one country. */
  ToIntFunction<String> inCountry(Mode mode, Country country) {
    if (mode == Mode.TEST) {
      return service -> RestRoutes.SANDBOX_AVAILABILITY;
    }
    return inventory.stockIn(Mode.LIVE, country.iso())::availableFor;
  }

  /** Free numbers per country for one service. */
  ToIntFunction<Country> forService(Mode mode, TargetService service) {
    if (mode == Mode.TEST) {
      return country -> RestRoutes.SANDBOX_AVAILABILITY;
    }
    Map<String, Integer> byIso = inventory.availability(Mode.LIVE, service.code());
    return country -> byIso.getOrDefault(country.iso(), 0);
  }
}
