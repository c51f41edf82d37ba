package io.verigate.server.inventory;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;
import java.util.Optional;

/** Normalises what gateways and operators send into E.164 and finds the country of a number. */
public final class PhoneNumbers {
  private static final PhoneNumberUtil UTIL = PhoneNumberUtil.getInstance();

  private PhoneNumbers() {}

  public record Parsed(String e164, String countryIso) {}

  /**
   * Accepts {@code +14155550100}, {@code 14155550100} (SIM banks send digits without a plus) and common
   * separators. Numbers libphonenumber cannot place in a country are refused.
   */
  public static Optional<Parsed> parse(String raw) {
    if (raw == null) {
      return Optional.empty();
    }
    String digits = raw.replaceAll("[\\s().-]", "");
    if (digits.startsWith("00")) {
      digits = digits.substring(2);
    }
    if (digits.startsWith("+")) {
      digits = digits.substring(1);
    }
    if (!digits.matches("\\d{6,15}")) {
      return Optional.empty();
    }
    try {
      PhoneNumber number = UTIL.parse("+" + digits, null);
      if (!UTIL.isPossibleNumber(number)) {
        return Optional.empty();
      }
      // Ranges libphonenumber does not know yet (new blocks, test ranges) still belong to the country
      // code's main region; gateways report real numbers before the metadata catches up.
      String region = UTIL.getRegionCodeForNumber(number);
      if (region == null) {
        region = UTIL.getRegionCodeForCountryCode(number.getCountryCode());
      }
      if (region == null || region.equals("ZZ") || region.equals("001")) {
        return Optional.empty();
      }
      String e164 = UTIL.format(number, PhoneNumberUtil.PhoneNumberFormat.E164);
      // A trunk prefix written twice after the country code ("+27 00...") loses one zero at every reading, so its
      // E.164 form would normalise to yet another number: refused, as it could never be matched reliably.
      if (!e164.equals(UTIL.format(UTIL.parse(e164, null), PhoneNumberUtil.PhoneNumberFormat.E164))) {
        return Optional.empty();
      }
      return Optional.of(new Parsed(e164, region));
    } catch (NumberParseException e) {
      return Optional.empty();
    }
  }
}
