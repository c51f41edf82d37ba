package io.verigate.server.fuzz;

import static io.verigate.server.fuzz.Fuzzing.capped;
import static io.verigate.server.fuzz.Fuzzing.withinBound;
import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.verigate.server.inbound.CodeExtractor;
import io.verigate.server.inbound.ExtractedCode;
import io.verigate.server.inventory.PhoneNumbers;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;

/**
 * The text every adapter hands on, whatever its protocol: the SMS body, read by the code extractor, and the
 * receiving number, normalised to E.164. Neither may throw or stall on any input.
 */
class InboundTextFuzzTest {
  private static final CodeExtractor EXTRACTOR = new CodeExtractor();

  @BeforeEach
  void loadTheParsersUntimed() {
    checkExtraction("wa", "Your WhatsApp code: 123-456".getBytes(StandardCharsets.UTF_8));
    checkPhoneNumber("+14155550101");
  }

  /**
   * Input: the activation's service code on the first line (absent when the input is empty), the message after
   * it. The message is read twice: as UTF-8, the way HTTP gateways deliver it, and as UTF-16, the way an SMPP
   * UCS-2 message arrives, where any 16-bit unit, even half a surrogate pair, can appear.
   */
  @FuzzTest
  void extractorFindsACodeShapedCodeOrNothing(byte[] input) {
    Fuzzing.Framed in = Fuzzing.Framed.of(capped(input), 1);

    withinBound(() -> checkExtraction(in.line(0), in.rest()));
  }

  /** Input: a number as a gateway might report it. Whatever is accepted is E.164 and reads back the same. */
  @FuzzTest
  void phoneNumbersAreNormalisedToE164OrRefused(byte[] input) {
    String raw = new String(capped(input), StandardCharsets.UTF_8);

    withinBound(() -> checkPhoneNumber(raw));
  }

  private static void checkExtraction(String service, byte[] message) {
    assertCodeShaped(EXTRACTOR.extract(service, new String(message, StandardCharsets.UTF_8)));
    assertCodeShaped(EXTRACTOR.extract(service, new String(message, StandardCharsets.UTF_16BE)));
  }

  private static void checkPhoneNumber(String raw) {
    PhoneNumbers.parse(raw).ifPresent(number -> {
      assertThat(number.e164()).matches("\\+[1-9][0-9]{1,14}");
      assertThat(number.countryIso()).matches("[A-Z]{2}");
      assertThat(PhoneNumbers.parse(number.e164())).contains(number);
    });
  }

  private static void assertCodeShaped(Optional<ExtractedCode> found) {
    found.ifPresent(code -> {
      assertThat(code.code()).matches("[0-9A-Z]{4,10}");
      assertThat(code.display()).isNotBlank();
    });
  }
}
