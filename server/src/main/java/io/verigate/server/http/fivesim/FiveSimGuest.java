package io.verigate.server.http.fivesim;

import io.verigate.server.account.Mode;
import io.verigate.server.catalog.Catalog;
import io.verigate.server.catalog.Country;
import io.verigate.server.catalog.Offers;
import io.verigate.server.catalog.Prices;
import io.verigate.server.catalog.TargetService;
import io.verigate.server.inventory.Stock;
import io.verigate.server.inventory.Inventory;
import io.verigate.server.system.ErrorCode;
import io.verigate.server.system.Failure;
import io.verigate.server.wallet.Money;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.function.ToIntFunction;

/**
 * 5sim's catalogue endpoints: countries, products of a country and the price list. Counts come from the
 * caller's {@link Stock}; the operator column is always {@code any}, because prices and stock are kept per
 * country and a purchase with {@code any} takes a number of whichever operator is free.
 */
final class FiveSimGuest {
  static final String ANY = "any";
  private static final Map<String, Integer> ACTIVATION_ONLY = Map.of("activation", 1);

  private final Catalog catalog;
  private final Prices prices;
  private final Stock stock;

  FiveSimGuest(Catalog catalog, Prices prices, Stock stock) {
    this.catalog = catalog;
    this.prices = prices;
    this.stock = stock;
  }

  /** {@code {"usa": {"iso": {"us": 1}, "prefix": {"+1": 1}, "text_en": ..., "text_ru": ..., "any": {"activation": 1}}}}. */
  Map<String, Object> countries() {
    Map<String, Object> out = new LinkedHashMap<>();
    for (Country country : catalog.countries()) {
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("iso", Map.of(country.iso().toLowerCase(Locale.ROOT), 1));
      entry.put("prefix", Map.of("+" + country.dialCode(), 1));
      entry.put("text_en", country.name());
      // The catalog has no Russian names; clients read the field, so it carries the English one.
      entry.put("text_ru", country.name());
      entry.put(ANY, ACTIVATION_ONLY);
      out.put(FiveSimNames.slug(country), entry);
    }
    return out;
  }

  /** {@code {"whatsapp": {"Category": "activation", "Qty": 12, "Price": 0.5}}} for one country, or {@code any}. */
  Map<String, Object> products(Mode mode, String countryName, String operatorName) {
    String operator = operator(operatorName);
    Prices.PriceTable table = prices.table();
    Function<TargetService, Offer> offers = ANY.equalsIgnoreCase(countryName)
        ? anyCountryOffers(mode, operator, table)
        : countryOffers(mode, country(countryName, FiveSimError.BAD_COUNTRY).iso(), operator, table);
    Map<String, Object> out = new LinkedHashMap<>();
    for (TargetService service : catalog.services()) {
      Offer offer = offers.apply(service);
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("Category", "activation");
      entry.put("Qty", offer.qty());
      entry.put("Price", FiveSimOrder.number(offer.price()));
      out.put(FiveSimNames.productName(service), entry);
    }
    return out;
  }

  /** How many numbers of a product are free, and what one costs. */
  private record Offer(int qty, Money price) {}

  private Function<TargetService, Offer> countryOffers(Mode mode, String iso, String operator, Prices.PriceTable table) {
    ToIntFunction<String> free = stock.inCountry(mode, iso);
    return service -> new Offer(free.applyAsInt(service.code()), table.priceFor(service.code(), iso, operator));
  }

  /** Every country's numbers at the best-ranked country's price, which is what buying in {@code any} pays. */
  private Function<TargetService, Offer> anyCountryOffers(Mode mode, String operator, Prices.PriceTable table) {
    return service -> {
      Map<String, Integer> free = stock.forService(mode, service.code());
      List<Offers.Offer> ranked = ranked(free, service, operator, table);
      // With no stock anywhere, the general price (the wildcard country's) is what a number would cost.
      Money price = ranked.isEmpty() ? table.priceFor(service.code(), Prices.WILDCARD, operator) : ranked.get(0).price();
      return new Offer(ranked.stream().mapToInt(o -> free.get(o.country())).sum(), price);
    };
  }

  /** {@code {"usa": {"whatsapp": {"any": {"cost": 0.5, "count": 12}}}}}, optionally for one country or product. */
  Map<String, Object> prices(Mode mode, String countryName, String productName) {
    List<Country> countries = countryName == null ? catalog.countries()
        : List.of(country(countryName, FiveSimError.COUNTRY_IS_INCORRECT));
    List<TargetService> services = productName == null ? catalog.services()
        : List.of(product(productName, FiveSimError.PRODUCT_IS_INCORRECT));
    Prices.PriceTable table = prices.table();
    Map<String, Map<String, Integer>> freeByService = new LinkedHashMap<>();
    services.forEach(s -> freeByService.put(s.code(), stock.forService(mode, s.code())));
    Map<String, Object> out = new LinkedHashMap<>();
    for (Country country : countries) {
      Map<String, Object> byProduct = new LinkedHashMap<>();
      for (TargetService service : services) {
        Map<String, Object> offer = new LinkedHashMap<>();
        offer.put("cost", FiveSimOrder.number(table.priceFor(service.code(), country.iso(), ANY)));
        offer.put("count", freeByService.get(service.code()).getOrDefault(country.iso(), 0));
        byProduct.put(FiveSimNames.productName(service), Map.of(ANY, offer));
      }
      out.put(FiveSimNames.slug(country), byProduct);
    }
    return out;
  }

  /** 5sim's {@code any} country: every country (ISO) with a free number for the service, as the core ranks them. */
  List<String> anyCountry(Mode mode, TargetService service, String operator) {
    return ranked(stock.forService(mode, service.code()), service, operator, prices.table()).stream()
        .map(Offers.Offer::country)
        .toList();
  }

  private static List<Offers.Offer> ranked(Map<String, Integer> free, TargetService service, String operator,
      Prices.PriceTable table) {
    List<String> stocked = free.keySet().stream().filter(iso -> free.get(iso) > 0).toList();
    return Offers.rank(Offers.anyOf(service.code(), stocked, operator, table), null).affordable();
  }

  /** A country in any form the catalog knows, or the refusal this endpoint gives for an unknown one. */
  Country country(String name, FiveSimError unknown) {
    return catalog.country(name).orElseThrow(unknown::refused);
  }

  /** A product in any form the catalog knows, or the refusal this endpoint gives for an unknown one. */
  TargetService product(String name, FiveSimError unknown) {
    return catalog.service(name).orElseThrow(unknown::refused);
  }

  /** An operator path segment; {@code any} for no preference. */
  static String operator(String name) {
    try {
      return Inventory.normaliseOperator(name);
    } catch (Failure f) {
      if (f.code() == ErrorCode.BAD_REQUEST) {
        throw FiveSimError.BAD_OPERATOR.refused();
      }
      throw f;
    }
  }
}
