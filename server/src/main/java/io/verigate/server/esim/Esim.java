package io.verigate.server.esim;

import io.verigate.server.account.Mode;
import io.verigate.server.wallet.Money;
import java.time.Duration;
import java.time.Instant;

/**
 * An eSIM sold to a customer: the profile's codes, what it cost, its allowance (top-ups add data and days) and its
 * usage as last reported. {@code dataMb} is null for unlimited data; {@code state} is the reported state (NOT_ACTIVE,
 * ACTIVE or FINISHED), from which {@link #status} derives the one customers see.
 */
public record Esim(long id, long orderId, long customerId, Mode mode, String planId, Profile profile, Money price,
    Long dataMb, long usedMb, int validityDays, EsimStatus state, Instant activatedAt, Instant refundedAt,
    Instant createdAt) {

  /** Apple's universal link that installs the eSIM on iOS 17.4 and later with one tap. */
  private static final String APPLE_INSTALL = "https://esimsetup.apple.com/esim_qrcode_provisioning?carddata=";

  public EsimStatus status(Instant now) {
    if (refundedAt != null) {
      return EsimStatus.REFUNDED;
    }
    if (expiresAt() != null && !now.isBefore(expiresAt())) {
      return EsimStatus.EXPIRED;
    }
    if (dataMb != null && usedMb >= dataMb) {
      return EsimStatus.FINISHED;
    }
    return state;
  }

  /** When its days run out: counted from the first use, so null until it is activated. */
  public Instant expiresAt() {
    return activatedAt == null ? null : activatedAt.plus(Duration.ofDays(validityDays));
  }

  /** Data left in MB, null for unlimited data (whose totals are not shown). */
  public Long remainingMb() {
    return dataMb == null ? null : Math.max(0, dataMb - usedMb);
  }

  public ActivationCode activationCode() {
    return profile.activationCode();
  }

  public String appleInstallUrl() {
    return APPLE_INSTALL + activationCode().text();
  }

  Esim withUsage(EsimStatus reported, long used, Instant activated) {
    return new Esim(id, orderId, customerId, mode, planId, profile, price, dataMb, used, validityDays, reported,
        activated, refundedAt, createdAt);
  }

  /**
   * With the usage its supplier counts: the supplier's state (kept when it does not know), its total and remaining
   * data as our allowance and use (top-ups it made included), nothing counted for unlimited data. The first sight of
   * it in use starts the validity days, as a usage report's does.
   */
  Esim withSupplierUsage(SupplierUsage usage, Instant now) {
    EsimStatus reported = usage.status() == null ? state : usage.status();
    Long data = usage.unlimited() ? null : usage.totalMb();
    long used = usage.unlimited() ? usedMb : Math.max(0, usage.totalMb() - usage.remainingMb());
    Instant activated = activatedAt != null || reported == EsimStatus.NOT_ACTIVE ? activatedAt : now;
    return new Esim(id, orderId, customerId, mode, planId, profile, price, data, used, validityDays, reported,
        activated, refundedAt, createdAt);
  }

  Esim refunded(Instant at) {
    return new Esim(id, orderId, customerId, mode, planId, profile, price, dataMb, usedMb, validityDays, state,
        activatedAt, at, createdAt);
  }

  /** Topped up with {@code plan}: its data and days added (unlimited data stays or becomes unlimited). */
  Esim toppedUp(EsimPlan plan) {
    Long data = dataMb == null || plan.dataMb() == null ? null : dataMb + plan.dataMb();
    EsimStatus next = state == EsimStatus.FINISHED ? EsimStatus.ACTIVE : state;
    return new Esim(id, orderId, customerId, mode, planId, profile, price, data, usedMb, validityDays + plan.validityDays(),
        next, activatedAt, refundedAt, createdAt);
  }
}
