package io.verigate.server.inventory;

import io.verigate.server.account.Mode;
import io.verigate.server.catalog.Catalog;
import io.verigate.server.catalog.Country;
import java.util.Map;
import java.util.function.ToIntFunction;
import java.util.stream.Collectors;

/**
 * How many numbers a caller could buy right now, as every dialect's listings show it: the live inventory for
 * live keys; for test keys the sandbox, which mints numbers on demand and so never runs out.
 */
public final class Stock {
  /** What listings show test keys for every service and country. */
  public static final int SANDBOX = 9999;

  private final Inventory inventory;
  private final Catalog catalog;

  public Stock(Inventory inventory, Catalog catalog) {
    this.inventory = inventory;
    this.catalog = catalog;
  }

  /** Free numbers per service code in one country (ISO). */
  public ToIntFunction<String> inCountry(Mode mode, String iso) {
    if (mode == Mode.TEST) {
      return service -> SANDBOX;
    }
    return inventory.stockIn(mode, iso)::availableFor;
  }

  /** Free numbers per country (ISO) for one service; countries with none are absent. */
  public Map<String, Integer> forService(Mode mode, String service) {
    if (mode == Mode.TEST) {
      return catalog.countries().stream().collect(Collectors.toMap(Country::iso, c -> SANDBOX));
    }
    return inventory.availability(mode, service);
  }
}
