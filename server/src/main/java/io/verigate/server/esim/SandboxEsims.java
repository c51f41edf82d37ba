package io.verigate.server.esim;

import io.verigate.server.system.ErrorCode;
import io.verigate.server.system.Failure;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import org.jdbi.v3.core.Handle;

/**
 * The supplier of test keys: synthetic profiles with the real shape (a Luhn-valid ICCID, an SM-DP+ host name, a
 * matching id in the usual five-by-four groups) that install nowhere, and magic plans that provoke each refusal a
 * client must handle, as Airalo's sandbox does with its test packages.
 */
public final class SandboxEsims implements EsimSupplier {
  /** Every order of it is refused with ESIM_OUT_OF_STOCK. */
  public static final String OUT_OF_STOCK = "sandbox-out-of-stock";
  /** Every order of it is refused with SUPPLIER_UNAVAILABLE, and nothing is charged. */
  public static final String SUPPLIER_FAILURE = "sandbox-supplier-failure";
  /** A top-up plan the supplier always refuses with TOPUP_REFUSED. */
  public static final String TOPUP_REFUSED = "sandbox-topup-refused";
  static final String SMDP_ADDRESS = "smdp.sandbox.verigate.test";
  /** 89 (telecom), 999 (no real country or issuer), then random digits and the Luhn check digit: 19 digits. */
  private static final String ICCID_PREFIX = "89999";
  private static final String MATCHING_ALPHABET = "0123456789ABCDEFGHJKLMNPQRSTUVWXYZ";

  private final SecureRandom random = new SecureRandom();

  @Override
  public String name() {
    return "sandbox";
  }

  @Override
  public List<Profile> take(Handle h, EsimPlan plan, int quantity, long orderId) {
    switch (plan.id()) {
      case OUT_OF_STOCK -> throw new Failure(ErrorCode.ESIM_OUT_OF_STOCK, "plan '" + plan.id() + "' is out of stock "
          + "(a sandbox magic plan)");
      case SUPPLIER_FAILURE -> throw new Failure(ErrorCode.SUPPLIER_UNAVAILABLE, "the eSIM supplier failed the order; "
          + "nothing was charged (a sandbox magic plan)");
      default -> {
        List<Profile> profiles = new ArrayList<>(quantity);
        for (int i = 0; i < quantity; i++) {
          profiles.add(new Profile(iccid(), ActivationCode.of(SMDP_ADDRESS, matchingId()), null));
        }
        return profiles;
      }
    }
  }

  @Override
  public void checkTopUp(EsimPlan topUp) {
    if (topUp.id().equals(TOPUP_REFUSED)) {
      throw new Failure(ErrorCode.TOPUP_REFUSED, "the supplier refuses top-ups of this eSIM (a sandbox magic plan)");
    }
  }

  private String iccid() {
    StringBuilder digits = new StringBuilder(ICCID_PREFIX);
    while (digits.length() < 18) {
      digits.append(random.nextInt(10));
    }
    return digits.append(Iccid.checkDigit(digits.toString())).toString();
  }

  private String matchingId() {
    StringBuilder id = new StringBuilder();
    for (int group = 0; group < 4; group++) {
      if (group > 0) {
        id.append('-');
      }
      for (int i = 0; i < 5; i++) {
        id.append(MATCHING_ALPHABET.charAt(random.nextInt(MATCHING_ALPHABET.length())));
      }
    }
    return id.toString();
  }
}
