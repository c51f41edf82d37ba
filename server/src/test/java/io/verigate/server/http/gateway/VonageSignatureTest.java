package io.verigate.server.http.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.verigate.server.inventory.NumberSource;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Vonage's signed-webhook check, against the signatures published in the tests of Vonage's Java SDK
 * ({@code RequestSigningTest}): parameters a=alphabet, b=bananas and timestamp=2100, signature secret "abcde".
 */
class VonageSignatureTest {
  private static final String SECRET = "abcde";
  private static final Map<String, String> PUBLISHED = Map.of(
      "md5hash", "7d43241108912b32cc315b48ce681acf",
      "md5", "e0afe267aefd6dd18a848c1681517a19",
      "sha1", "b7f749de27b4adcf736cc95c9a7e059a16c85127",
      "sha256", "8d1b0428276b6a070578225914c3502cc0687a454dfbbbb370c76a14234cb546",
      "sha512", "1c834a1f6a377d4473971387b065cb38e2ad6c4869ba77b7b53e207a344e87ba04b456dfc697b371a2d1ce476d01dafd4394aa9"
          + "7525eff23badad39d2389a710");
  private static final VonageSignature AT_2100 = at(2100);

  @Test
  void signsThePublishedExampleAsVonageDoesWithEveryMethod() {
    assertThat(PUBLISHED.keySet()).containsExactlyInAnyOrderElementsOf(NumberSource.VONAGE_SIGNATURE_METHODS);
    PUBLISHED.forEach((method, signature) ->
        assertThat(VonageSignature.sign(SECRET, method, example())).as(method).isEqualTo(signature));
  }

  @Test
  void acceptsThePublishedSignaturesInEitherCase() {
    PUBLISHED.forEach((method, signature) -> {
      assertThat(AT_2100.refusal(SECRET, method, signed(signature))).as(method).isEmpty();
      assertThat(AT_2100.refusal(SECRET, method, signed(signature.toUpperCase()))).as(method).isEmpty();
    });
  }

  @Test
  void leavesOutTheSignatureItselfAndEmptyValues() {
    Map<String, String> params = example();
    params.put("b", "  ");
    params.put("sig", "anything");

    // md5 of "&a=alphabet&timestamp=2100abcde", from the same SDK tests
    assertThat(VonageSignature.sign(SECRET, "md5hash", params)).isEqualTo("a3368bf718ba104dcb392d8877e8eb2b");
  }

  @Test
  void replacesTheSeparatorsInsideNamesAndValues() {
    Map<String, String> withSeparators = Map.of("text", "a=b&c", "timestamp", "2100");
    Map<String, String> replaced = Map.of("text", "a_b_c", "timestamp", "2100");

    assertThat(VonageSignature.sign(SECRET, "sha256", withSeparators))
        .isEqualTo(VonageSignature.sign(SECRET, "sha256", replaced));
  }

  @Test
  void refusesAMissingOrWrongSignatureOrAnotherMethod() {
    assertThat(AT_2100.refusal(SECRET, "md5hash", example()))
        .hasValueSatisfying(reason -> assertThat(reason).contains("sig is required"));
    assertThat(AT_2100.refusal(SECRET, "md5hash", signed("7d43241108912b32cc315b48ce681ac0")))
        .hasValueSatisfying(reason -> assertThat(reason).contains("does not match"));
    assertThat(AT_2100.refusal(SECRET, "sha256", signed(PUBLISHED.get("md5hash")))).isPresent();
    assertThat(AT_2100.refusal("another-secret", "md5hash", signed(PUBLISHED.get("md5hash")))).isPresent();
  }

  @Test
  void refusesATimestampMoreThanFiveMinutesOffOrUnreadable() {
    Map<String, String> params = signed(PUBLISHED.get("md5hash"));
    long window = VonageSignature.WINDOW.toSeconds();

    assertThat(at(2100 + window).refusal(SECRET, "md5hash", params)).isEmpty();
    assertThat(at(2100 - window).refusal(SECRET, "md5hash", params)).isEmpty();
    assertThat(at(2100 + window + 1).refusal(SECRET, "md5hash", params))
        .hasValueSatisfying(reason -> assertThat(reason).contains("more than 5 minutes"));
    assertThat(at(2100 - window - 1).refusal(SECRET, "md5hash", params)).isPresent();
    params.put("timestamp", "yesterday");
    assertThat(AT_2100.refusal(SECRET, "md5hash", params))
        .hasValueSatisfying(reason -> assertThat(reason).contains("Unix seconds"));
    params.remove("timestamp");
    assertThat(AT_2100.refusal(SECRET, "md5hash", params)).isPresent();
  }

  private static Map<String, String> example() {
    Map<String, String> params = new HashMap<>();
    params.put("a", "alphabet");
    params.put("b", "bananas");
    params.put("timestamp", "2100");
    return params;
  }

  private static Map<String, String> signed(String signature) {
    Map<String, String> params = example();
    params.put("sig", signature);
    return params;
  }

  private static VonageSignature at(long epochSecond) {
    return new VonageSignature(Clock.fixed(Instant.ofEpochSecond(epochSecond), ZoneOffset.UTC));
  }
}
