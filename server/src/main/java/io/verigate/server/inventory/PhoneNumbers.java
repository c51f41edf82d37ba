package io.verigate.server.inventory;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;
import java.util.Optional;
import java.util.regex.Pattern;

/** Normalises what gateways and operators send into E.164 and finds the country of a number. */
public final class PhoneNumbers {
  private static final PhoneNumberUtil UTIL = PhoneNumberUtil.getInstance();
  private static final Pattern SEPARATORS = Pattern.compile("[\\s().-]");
  private static final Pattern DIGITS = Pattern.compile("\\d{6,15}");
  /**
   * Every inbound message names its receiving number, one of the operator's few thousand, and a libphonenumber parse
   * cost about a sixth of the node's work per message: answers are remembered. The parse is a pure function, and the
   * bound keeps numbers no one sends again from piling up.
   */
  private static final Cache<String, Optional<Parsed>> PARSED = Caffeine.newBuilder().maximumSize(100_000).build();

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
    String digits = SEPARATORS.matcher(raw).replaceAll("");
    if (digits.startsWith("00")) {
      digits = digits.substring(2);
    }
    if (digits.startsWith("+")) {
      digits = digits.substring(1);
    }
    if (!DIGITS.matcher(digits).matches()) {
      return Optional.empty();
    }
    return PARSED.get(digits, PhoneNumbers::parseDigits);
  }

  private static Optional<Parsed> parseDigits(String digits) {
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
