package io.verigate.server.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PhoneNumbersTest {

  @ParameterizedTest
  @CsvSource({
      "+14155550101, +14155550101, US",
      "14155550101, +14155550101, US",
      "+1 (415) 555-0101, +14155550101, US",
      "0014155550101, +14155550101, US",
      "79281234567, +79281234567, RU",
      "+905321234567, +905321234567, TR",
      "+447700900123, +447700900123, GB",
      "+4915123456789, +4915123456789, DE"
  })
  void normalisesToE164AndFindsTheCountry(String raw, String e164, String country) {
    assertThat(PhoneNumbers.parse(raw)).contains(new PhoneNumbers.Parsed(e164, country));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "garbage", "12", "+999123456789", "+1234567890123456", "+1-800-FLOWERS"})
  void refusesWhatIsNotAPhoneNumber(String raw) {
    assertThat(PhoneNumbers.parse(raw)).isEmpty();
  }

  @org.junit.jupiter.api.Test
  void refusesNull() {
    assertThat(PhoneNumbers.parse(null)).isEmpty();
  }
}
