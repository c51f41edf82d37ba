package io.verigate.server.http.legacy;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.verigate.server.account.Mode;
import io.verigate.server.account.Principal;
import io.verigate.server.catalog.Catalog;
import io.verigate.server.catalog.Country;
import io.verigate.server.catalog.Prices;
import io.verigate.server.catalog.TargetService;
import io.verigate.server.inventory.Inventory;
import io.verigate.server.inventory.Stock;
import io.verigate.server.sandbox.SandboxMagic;
import io.verigate.server.wallet.Money;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToIntFunction;

/**
 * What can be bought, where and for how much: countries, services, operators, prices and stock. Counts come
 * from the live inventory for live keys and are plentiful for test keys; prices are the operator's, exactly
 * as a purchase would be charged.
 */
final class ReferenceActions {
  /** What a sandbox number can be bought with: any operator, and the names that make the sandbox misbehave. */
  private static final List<String> SANDBOX_OPERATORS =
      List.of(Prices.ANY_OPERATOR, SandboxMagic.NO_CODE, SandboxMagic.NO_NUMBERS, SandboxMagic.SLOW);

  private final Catalog catalog;
  private final Prices prices;
  private final Inventory inventory;
  private final Stock stock;
  /** The countries listings show: those sms-activate has an id for, in id order. */
  private final List<Country> listed;

  ReferenceActions(Catalog catalog, Prices prices, Inventory inventory, Stock stock) {
    this.catalog = catalog;
    this.prices = prices;
    this.inventory = inventory;
    this.stock = stock;
    this.listed = catalog.countries().stream()
        .filter(c -> c.smsActivateId() != null)
        .sorted(Comparator.comparing(Country::smsActivateId))
        .toList();
  }

  void addTo(Map<String, LegacyRoutes.Action> actions) {
    actions.put("getCountries", LegacyRoutes.Action.reading((principal, request) -> countries()));
    actions.put("getServicesList", LegacyRoutes.Action.reading((principal, request) -> new ServicesList("success",
        catalog.services().stream().map(s -> new ServiceItem(s.code(), s.name())).toList())));
    actions.put("getOperators", LegacyRoutes.Action.reading(this::operators));
    actions.put("getNumbersStatus", LegacyRoutes.Action.reading(this::numbersStatus));
    actions.put("getTopCountriesByService", LegacyRoutes.Action.reading(this::topCountries));
    actions.put("getPrices", LegacyRoutes.Action.reading(this::prices));
  }

  record CountryInfo(int id, String rus, String eng, String chn, int visible, int retry, int rent, int multiService) {}

  /** Every country by its id. Names are English in every language field: the catalog has no translations. */
  private Map<String, CountryInfo> countries() {
    Map<String, CountryInfo> body = new LinkedHashMap<>();
    for (Country c : listed) {
      body.put(Formats.countryId(c), new CountryInfo(c.smsActivateId(), c.name(), c.name(), c.name(), 1, 1, 0, 0));
    }
    return body;
  }

  record ServiceItem(String code, String name) {}

  record ServicesList(String status, List<ServiceItem> services) {}

  record CountryOperators(String status, Map<String, List<String>> countryOperators) {}

  /** Operators numbers can be bought from, per country: those of the live inventory, or the sandbox's names. */
  private Object operators(Principal principal, LegacyRequest request) {
    String only = request.param("country");
    Map<String, List<String>> live = principal.mode() == Mode.TEST ? Map.of() : inventory.operators(Mode.LIVE);
    Map<String, List<String>> body = new LinkedHashMap<>();
    for (Country c : only == null ? listed : List.of(country(only))) {
      List<String> operators = principal.mode() == Mode.TEST ? SANDBOX_OPERATORS : live.getOrDefault(c.iso(), List.of());
      if (!operators.isEmpty()) {
        body.put(Formats.countryId(c), operators);
      }
    }
    return body.isEmpty() ? "OPERATORS_NOT_FOUND" : new CountryOperators("success", body);
  }

  /**
   * Free numbers per service in one country, as {@code <code>_0}; the {@code _1} variants (with call forwarding)
   * are not sold.
   */
  private Map<String, Integer> numbersStatus(Principal principal, LegacyRequest request) {
    ToIntFunction<String> free = stock.inCountry(principal.mode(), country(request.countryOrDefault()).iso());
    Map<String, Integer> body = new LinkedHashMap<>();
    for (TargetService s : catalog.services()) {
      body.put(s.code() + "_0", free.applyAsInt(s.code()));
    }
    return body;
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  record TopCountry(int country, int count, BigDecimal price, @JsonProperty("retail_price") BigDecimal retailPrice,
      Map<String, Integer> freePriceMap) {}

  private record Offer(Country country, int count, Money price) {}

  /** Countries with numbers for one service, most numbers first, keyed by rank from 0. */
  private Map<String, TopCountry> topCountries(Principal principal, LegacyRequest request) {
    TargetService service = service(request.param("service"));
    String freePrice = request.param("freePrice");
    boolean withPriceMap = "true".equalsIgnoreCase(freePrice) || "1".equals(freePrice);
    Map<String, Integer> free = stock.forService(principal.mode(), service.code());
    Prices.PriceTable table = prices.table();
    List<Offer> offers = new ArrayList<>();
    for (Country c : listed) {
      int count = free.getOrDefault(c.iso(), 0);
      if (count > 0) {
        offers.add(new Offer(c, count, table.priceFor(service.code(), c.iso(), Prices.ANY_OPERATOR)));
      }
    }
    offers.sort(Comparator.comparingInt(Offer::count).reversed()
        .thenComparing(Offer::price)
        .thenComparing(o -> o.country().smsActivateId()));
    Map<String, TopCountry> body = new LinkedHashMap<>();
    for (Offer o : offers) {
      BigDecimal price = Formats.amount(o.price());
      body.put(String.valueOf(body.size()), new TopCountry(o.country().smsActivateId(), o.count(), price, price,
          withPriceMap ? Map.of(o.price().toDecimalString(), o.count()) : null));
    }
    return body;
  }

  record PriceInfo(BigDecimal cost, int count, int physicalCount) {}

  /**
   * Price and stock per country and service, either one optional. Across countries only what is in stock is
   * listed; a named country lists every service, as getNumbersStatus does.
   */
  private Map<String, Map<String, PriceInfo>> prices(Principal principal, LegacyRequest request) {
    String serviceParam = request.param("service");
    String countryParam = request.param("country");
    List<TargetService> services = serviceParam == null ? catalog.services() : List.of(service(serviceParam));
    List<Country> countries = countryParam == null ? listed : List.of(country(countryParam));
    // One stock query for a named service, otherwise one per country.
    Map<String, Integer> forService = serviceParam == null ? null : stock.forService(principal.mode(), services.get(0).code());
    Prices.PriceTable table = prices.table();
    Map<String, Map<String, PriceInfo>> body = new LinkedHashMap<>();
    for (Country c : countries) {
      ToIntFunction<String> free =
          forService != null ? code -> forService.getOrDefault(c.iso(), 0) : stock.inCountry(principal.mode(), c.iso());
      Map<String, PriceInfo> row = new LinkedHashMap<>();
      for (TargetService s : services) {
        int count = free.applyAsInt(s.code());
        if (count > 0 || countryParam != null) {
          Money price = table.priceFor(s.code(), c.iso(), Prices.ANY_OPERATOR);
          row.put(s.code(), new PriceInfo(Formats.amount(price), count, count));
        }
      }
      if (!row.isEmpty()) {
        body.put(Formats.countryId(c), row);
      }
    }
    return body;
  }

  private TargetService service(String raw) {
    return catalog.service(raw).orElseThrow(() -> new Refusal("BAD_SERVICE"));
  }

  private Country country(String raw) {
    return catalog.country(raw).orElseThrow(() -> new Refusal("BAD_COUNTRY"));
  }
}
