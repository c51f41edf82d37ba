package io.verigate.server.sandbox;

import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;
import io.verigate.server.inventory.Inventory;
import io.verigate.server.inventory.ReservedNumber;
import io.verigate.server.supply.LocalSupply;
import io.verigate.server.supply.SupplyRequest;
import java.security.SecureRandom;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/**
 * Numbers for test-mode keys: a fresh synthetic number shaped like a real mobile number of the country,
 * so customers can run their whole flow without touching real inventory.
 */
public final class SandboxSupply implements LocalSupply {
  private static final PhoneNumberUtil PHONES = PhoneNumberUtil.getInstance();
  private static final int MAX_DRAWS = 100;
  private final SecureRandom random = new SecureRandom();
  private final Inventory inventory;
  private final long sourceId;

  public SandboxSupply(Inventory inventory, long sourceId) {
    this.inventory = inventory;
    this.sourceId = sourceId;
  }

  @Override
  public Optional<ReservedNumber> reserve(Handle h, SupplyRequest request) {
    if (SandboxMagic.NO_NUMBERS.equals(request.operator())) {
      return Optional.empty();
    }
    return freshNumber(h, request.country(), request);
  }

  /**
   * Random draws, since excluded prefixes can cover every number the sandbox makes for a country, and a concurrent
   * purchase can take a drawn number first.
   */
  private Optional<ReservedNumber> freshNumber(Handle h, String iso, SupplyRequest request) {
    for (int draw = 0; draw < MAX_DRAWS; draw++) {
      String candidate = synthetic(iso);
      boolean excluded = request.excludedPrefixes().stream().anyMatch(p -> candidate.startsWith("+" + p));
      if (!excluded && inventory.numberId(h, candidate).isEmpty()) {
        Optional<ReservedNumber> added = inventory.addTestNumber(h, candidate, iso, request.operator(), sourceId);
        if (added.isPresent()) {
          return added;
        }
      }
    }
    return Optional.empty();
  }

  /** The country's example mobile number with its last five digits randomised. */
  private String synthetic(String iso) {
    PhoneNumber example = PHONES.getExampleNumberForType(iso, PhoneNumberUtil.PhoneNumberType.MOBILE);
    String national = example == null ? "55501" + digits(5) : String.valueOf(example.getNationalNumber());
    int keep = Math.max(0, national.length() - 5);
    String countryCode = String.valueOf(example == null ? PHONES.getCountryCodeForRegion(iso) : example.getCountryCode());
    return "+" + countryCode + national.substring(0, keep) + digits(national.length() - keep);
  }

  private String digits(int n) {
    StringBuilder out = new StringBuilder(n);
    for (int i = 0; i < n; i++) {
      out.append(random.nextInt(10));
    }
    return out.toString();
  }
}
