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
    PhoneNumber example = PHONES.getExampleNumberForType(countryIso.toUpperCase(Locale.ROOT),
        PhoneNumberUtil.PhoneNumberType.MOBILE);
    String national = String.valueOf(example.getNationalNumber());
    return "+" + example.getCountryCode() + national.substring(0, national.length() - 4)
        + String.format("%04d", NEXT.incrementAndGet() % 10_000);
  }
}
