package io.verigate.server.inbound;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SmsTextTest {
  private static final String CYRILLIC_WITH_EMOJI = "Ваш код: 318 604 🙂";

  @Test
  void readsUcs2AsUtf16SoThatEmojiSurvive() {
    assertThat(SmsText.decode(0x08, CYRILLIC_WITH_EMOJI.getBytes(StandardCharsets.UTF_16BE))).isEqualTo(CYRILLIC_WITH_EMOJI);
  }

  @Test
  void readsTheSmppCodingsOfLatinAlphabets() {
    assertThat(SmsText.decode(0x01, "Code 7731".getBytes(StandardCharsets.US_ASCII))).isEqualTo("Code 7731");
    assertThat(SmsText.decode(0x03, "Código 7731".getBytes(StandardCharsets.ISO_8859_1))).isEqualTo("Código 7731");
    assertThat(SmsText.decode(0x06, "Код 7731".getBytes(Charset.forName("ISO-8859-5")))).isEqualTo("Код 7731");
  }

  @Test
  void readsTheSmscDefaultAlphabetAsGsmSevenBit() {
    assertThat(SmsText.decode(0x00, Gsm7Encoding.encode("@ code {7731}"))).isEqualTo("@ code {7731}");
  }

  @Test
  void readsEightBitTextAnSmscSendsUnderTheDefaultCodingAsUtf8OrLatin1() {
    assertThat(SmsText.decode(0x00, "Kód: 7731 ✓".getBytes(StandardCharsets.UTF_8))).isEqualTo("Kód: 7731 ✓");
    assertThat(SmsText.decode(0x00, "Kód: 7731".getBytes(StandardCharsets.ISO_8859_1))).isEqualTo("Kód: 7731");
  }

  @Test
  void followsTheCodingGroupsOfTs23038() {
    byte[] ucs2 = CYRILLIC_WITH_EMOJI.getBytes(StandardCharsets.UTF_16BE);
    assertThat(SmsText.decode(0x18, ucs2)).as("general group, UCS-2 with a message class").isEqualTo(CYRILLIC_WITH_EMOJI);
    assertThat(SmsText.decode(0xE0, ucs2)).as("message waiting group, UCS-2").isEqualTo(CYRILLIC_WITH_EMOJI);
    assertThat(SmsText.decode(0xF1, Gsm7Encoding.encode("Code [1]"))).as("message class group, GSM").isEqualTo("Code [1]");
    assertThat(SmsText.decode(0x11, Gsm7Encoding.encode("Code [1]"))).as("general group, GSM with a class").isEqualTo("Code [1]");
  }

  @Test
  void fallsBackToLatin1ForBinaryAndUnknownCodingsSoThatDigitsSurvive() {
    byte[] bytes = {'C', 'o', 'd', 'e', ' ', '4', '2', (byte) 0xFF};
    assertThat(SmsText.decode(0x04, bytes)).isEqualTo("Code 42ÿ");
    assertThat(SmsText.decode(0x0E, bytes)).isEqualTo("Code 42ÿ");
    assertThat(SmsText.decode(0x30, bytes)).as("compressed").isEqualTo("Code 42ÿ");
  }

  @Test
  void readsAnOddNumberOfUcs2BytesWithoutFailing() {
    assertThat(SmsText.decode(0x08, new byte[] {0x00, 0x41, 0x00})).startsWith("A");
  }
}
