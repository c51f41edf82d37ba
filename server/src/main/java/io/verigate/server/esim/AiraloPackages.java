package io.verigate.server.esim;

import com.fasterxml.jackson.databind.JsonNode;
import io.verigate.server.wallet.Money;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * One of Airalo's packages as a plan of our catalog. Its id is {@code airalo-} and the package id (lower-cased, other
 * characters as hyphens), so a package keeps its plan from sync to sync; a region's slug ({@code europe}) names a
 * plan of several countries; unlimited data has no amount; the sale price comes from what Airalo charges us for it
 * (its net price) under the operator's rule.
 */
final class AiraloPackages {
  static final String PLAN_PREFIX = "airalo-";

  private AiraloPackages() {}

  /** {@code area}: the country or region entry; {@code operator}: its network; {@code pack}: the package. */
  static Optional<EsimPlan> plan(JsonNode area, JsonNode operator, JsonNode pack, CatalogPricing pricing) {
    String packageId = pack.path("id").asText(pack.path("package_id").asText(""));
    JsonNode cost = pack.hasNonNull("net_price") ? pack.get("net_price") : pack.path("price");
    if (packageId.isEmpty() || !cost.isNumber()) {
      return Optional.empty();
    }
    Money netPrice = Money.ofUnits(cost.decimalValue().movePointRight(Money.SCALE).setScale(0, RoundingMode.CEILING)
        .longValueExact());
    List<String> countries = new ArrayList<>();
    operator.path("countries").forEach(c -> countries.add(c.path("country_code").asText()));
    if (countries.isEmpty() && !area.path("country_code").asText("").isEmpty()) {
      countries.add(area.path("country_code").asText());
    }
    boolean unlimited = pack.path("is_unlimited").asBoolean(false);
    String title = (area.path("title").asText("") + " " + pack.path("title").asText(packageId)).strip();
    return pricing.salePrice(netPrice).map(price -> new EsimPlan(planId(packageId), title,
        "topup".equals(pack.path("type").asText()) ? EsimPlan.Kind.TOPUP : EsimPlan.Kind.ESIM,
        countries.size() > 1 ? area.path("slug").asText(null) : null, countries,
        unlimited ? null : pack.path("amount").asLong(), pack.path("day").asInt(), count(pack.path("voice")),
        count(pack.path("text")), price, false, true, packageId, false));
  }

  static String planId(String packageId) {
    String id = PLAN_PREFIX + packageId.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]", "-");
    return id.length() > 64 ? id.substring(0, 64) : id;
  }

  private static Integer count(JsonNode value) {
    return value.canConvertToInt() && value.isIntegralNumber() ? value.asInt() : null;
  }
}
