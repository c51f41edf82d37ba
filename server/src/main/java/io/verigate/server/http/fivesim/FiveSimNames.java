package io.verigate.server.http.fivesim;

import io.verigate.server.catalog.Catalog;
import io.verigate.server.catalog.Country;
import io.verigate.server.catalog.TargetService;
import java.util.Locale;
import java.util.Optional;

/**
 * Countries and products as 5sim spells them ({@code usa}, {@code whatsapp}), both ways. Reading accepts any
 * form the catalog knows; writing uses 5sim's name, or for the few entries 5sim does not list, a name that
 * reads back to the same entry (the lower-case ISO code, the service code).
 */
final class FiveSimNames {
  private final Catalog catalog;

  FiveSimNames(Catalog catalog) {
    this.catalog = catalog;
  }

  Optional<Country> country(String name) {
    return catalog.country(name);
  }

  Optional<TargetService> product(String name) {
    return catalog.service(name);
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
