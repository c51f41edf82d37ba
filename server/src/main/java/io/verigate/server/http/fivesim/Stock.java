package io.verigate.server.http.fivesim;

import io.verigate.server.account.Mode;
import io.verigate.server.catalog.Catalog;
import io.verigate.server.catalog.Country;
import io.verigate.server.http.rest.RestRoutes;
import io.verigate.server.inventory.Inventory;
import java.util.Map;
import java.util.function.ToIntFunction;
import java.util.stream.Collectors;

/** Free numbers as a caller can buy them: live inventory, or for a test key the sandbox, which never runs out. */
final class Stock {
  private final Inventory inventory;
  private final Catalog catalog;

  Stock(Inventory inventory, Catalog catalog) {
    this.inventory = inventory;
    this.catalog = catalog;
  }

  /** Free numbers per service code in one country. */
  ToIntFunction<String> inCountry(Mode mode, String iso) {
    if (mode == Mode.TEST) {
      return service -> RestRoutes.SANDBOX_AVAILABILITY;
    }
    return inventory.stockIn(mode, iso)::availableFor;
  }

  /** Free numbers per country (ISO) for one service; countries with none are absent. */
  Map<String, Integer> forService(Mode mode, String service) {
    if (mode == Mode.TEST) {
      return catalog.countries().stream()
          .collect(Collectors.toMap(Country::iso, c -> RestRoutes.SANDBOX_AVAILABILITY));
    }
    return inventory.availability(mode, service);
  }
}
