package io.verigate.server.testing;

import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/** Valid mobile numbers for tests, each new within this JVM (up to 10,000 per country). */
public final class TestNumbers {
  private static final PhoneNumberUtil PHONES = PhoneNumberUtil.getInstance();
  private static final AtomicInteger NEXT = new AtomicInteger();

  private TestNumbers() {}

  /** The country's example mobile number with fresh last four digits, in E.164. */
  public static String freshMobile(String countryIso) {
    return withLastFour(countryIso, NEXT.incrementAndGet() % 10_000);
  }

  /**
   * The country's example mobile number with its last four digits set to {@code lastFour} (0-9999), in E.164:
   * for tests that need numbers to differ in a known place. Such a number is not fresh.
   */
  public static String withLastFour(String countryIso, int lastFour) {
    PhoneNumber example = PHONES.getExampleNumberForType(countryIso.toUpperCase(Locale.ROOT),
        PhoneNumberUtil.PhoneNumberType.MOBILE);
    String national = String.valueOf(example.getNationalNumber());
    return "+" + example.getCountryCode() + national.substring(0, national.length() - 4)
        + String.format("%04d", lastFour);
  }
}
