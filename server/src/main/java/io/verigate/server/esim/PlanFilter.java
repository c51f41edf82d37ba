package io.verigate.server.esim;

import io.verigate.server.wallet.Money;
import java.util.Locale;

/**
 * What a customer narrows the plan list by; every field may be null. An unlimited plan has at least any amount of
 * data.
 */
public record PlanFilter(String country, String region, Long minDataMb, Money maxPrice, EsimPlan.Kind kind) {
  public static final PlanFilter ANY = new PlanFilter(null, null, null, null, null);

  boolean matches(EsimPlan plan) {
    return (country == null || plan.countries().contains(country.toUpperCase(Locale.ROOT)))
        && (region == null || region.equalsIgnoreCase(plan.region()))
        && (minDataMb == null || plan.unlimited() || plan.dataMb() >= minDataMb)
        && (maxPrice == null || !plan.price().exceeds(maxPrice))
        && (kind == null || plan.kind() == kind);
  }
}
