package io.verigate.server.esim;

import io.verigate.server.account.Mode;
import io.verigate.server.wallet.Money;
import java.util.List;

/**
 * A plan of the catalog: where it works (one country, or a named region of countries), how much data for how many
 * days, voice minutes and texts if any, and its price. A {@link Kind#TOPUP} plan extends an eSIM already sold whose
 * plan covers the same countries. {@code dataMb} is null for an unlimited plan. {@code supplierPackageId} names the
 * remote supplier's package that live orders fall back to when the operator's own stock runs out (null for none), or
 * that a top-up buys there. {@code withdrawn}: the catalog sync found the supplier no longer sells the package, so the
 * plan is off sale whatever the operator's {@code enabled} says, until the package comes back.
 */
public record EsimPlan(String id, String name, Kind kind, String region, List<String> countries, Long dataMb,
    int validityDays, Integer voiceMinutes, Integer smsCount, Money price, boolean sandbox, boolean enabled,
    String supplierPackageId, boolean withdrawn) {

  public enum Kind { ESIM, TOPUP }

  public EsimPlan {
    countries = List.copyOf(countries);
  }

  public boolean unlimited() {
    return dataMb == null;
  }

  /** Test keys see sandbox plans only, live keys the others only. */
  public boolean visibleTo(Mode mode) {
    return enabled && !withdrawn && sandbox == (mode == Mode.TEST);
  }

  /** Whether a top-up plan may extend an eSIM of {@code base}: it must work where the eSIM does. */
  public boolean tops(EsimPlan base) {
    return kind == Kind.TOPUP && sandbox == base.sandbox && countries.containsAll(base.countries);
  }
}
