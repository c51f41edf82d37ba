package io.verigate.server.http.fivesim;

import io.verigate.server.catalog.Catalog;
import io.verigate.server.catalog.Country;
import io.verigate.server.catalog.TargetService;
import java.util.Locale;

/**
 * Countries and products written as 5sim spells them ({@code usa}, {@code whatsapp}). For the few entries 5sim
 * does not list, the name is one the catalog reads back to the same entry (the lower-case ISO code, the
 * service code), since requests are resolved through the catalog, which accepts any form it knows.
 */
final class FiveSimNames {
  private final Catalog catalog;

  FiveSimNames(Catalog catalog) {
    this.catalog = catalog;
  }

  static String slug(Country country) {
    return country.fiveSimSlug() != null ? country.fiveSimSlug() : country.iso().toLowerCase(Locale.ROOT);
  }

  static String productName(TargetService service) {
    return service.fiveSimName() != null ? service.fiveSimName() : service.code();
  }

  /** The slug of a country stored by ISO code. */
  String slugOfIso(String iso) {
    return catalog.byIso(iso).map(FiveSimNames::slug).orElse(iso.toLowerCase(Locale.ROOT));
  }

  /** The product name of a service stored by its code. */
  String productOfCode(String code) {
    return catalog.service(code).map(FiveSimNames::productName).orElse(code);
  }
}
