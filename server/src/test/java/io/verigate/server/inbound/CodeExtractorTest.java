package io.verigate.server.inbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.verigate.server.catalog.Catalog;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CodeExtractorTest {

  /** The catalog's "Any other" service: no brand and no format of its own. */
  private static final String ANY_OTHER = "ot";

  private final CodeExtractor extractor = new CodeExtractor();

  @Test
  void codeIsNormalisedWhileDisplayKeepsTheWrittenForm() {
    assertThat(extractor.extract("wa", "Your WhatsApp code: 123-456"))
        .contains(new ExtractedCode("123456", "123-456"));
    assertThat(extractor.extract("go", "G-804512 is your Google verification code."))
        .contains(new ExtractedCode("804512", "G-804512"));
    assertThat(extractor.extract("fb", "FB-12345 is your Facebook confirmation code"))
        .contains(new ExtractedCode("12345", "FB-12345"));
    assertThat(extractor.extract(null, "Your code: 823 815"))
        .contains(new ExtractedCode("823815", "823 815"));
    assertThat(extractor.extract(null, "Use code a1b2c3 to confirm your e-mail change."))
        .contains(new ExtractedCode("A1B2C3", "a1b2c3"));
    assertThat(extractor.extract(null, "رمز التحقق: ٤٨٢٩١٣"))
        .contains(new ExtractedCode("482913", "٤٨٢٩١٣"));
    assertThat(extractor.extract(null, "認証コード：１２３４５６"))
        .contains(new ExtractedCode("123456", "１２３４５６"));
  }

  @Test
  void serviceRuleOutranksAGenericKeyword() {
    String text = "Code 2048 has expired. New Telegram code: 53194";

    assertThat(code("tg", text)).contains("53194");
    assertThat(code(null, text)).contains("2048");
  }

  @Test
  void everyServiceOfTheCatalogHasARule() {
    assertThat(Catalog.load().services()).isNotEmpty().allSatisfy(service ->
        assertThat(ServiceRules.forService(service.code())).as("rule for %s", service).isPresent());
  }

  @Test
  void everyRuleRecognisesItsServicesNameInTheCatalog() {
    assertThat(Catalog.load().services())
        .filteredOn(service -> !service.code().equals(ANY_OTHER))
        .allSatisfy(service -> assertThat(ServiceRules.forService(service.code()))
            .as("brand of %s", service)
            .hasValueSatisfying(rule -> assertThat(rule.brand().matcher(service.name()).find()).isTrue()));
  }

  @Test
  void theServicesBrandAnchorsACodeThatNoKeywordNames() {
    String text = "Додо Пицца 9021. Пицца дня за 1299 до воскресенья";

    assertThat(code("sd", text)).contains("9021");
    assertThat(code(null, text)).isEmpty();
  }

  @Test
  void anyOtherServiceReadsLikeAnUnknownOne() {
    assertThat(code(ANY_OTHER, "Your login code: K7X9Q2")).contains("K7X9Q2");
    assertThat(code(ANY_OTHER, "Acme: 482913")).contains("482913");
    assertThat(code(ANY_OTHER, "Додо Пицца 9021. Пицца дня за 1299 до воскресенья")).isEmpty();
  }

  @Test
  void serviceCodeMayBeMissingUnknownOrOddlyWritten() {
    String text = "Your Telegram code is 65847";

    assertThat(code(null, text)).contains("65847");
    assertThat(code("", text)).contains("65847");
    assertThat(code("no-such-service", text)).contains("65847");
    assertThat(code(" TG ", text)).contains("65847");
  }

  @Test
  void appHashIsNeverTheCode() {
    assertThat(code(null, "Your ExampleApp code is: 123ABC78\n\nFA+9qCX9VSu")).contains("123ABC78");
    assertThat(code(null, "Your code is on the way.\n\nAB12+CD34EF")).isEmpty();
    assertThat(code(null, "Your code is on the way.\n\nQ2/XYZ7WKPA")).isEmpty();
  }

  @Test
  void nullBlankAndEmptyTextsHaveNoCode() {
    assertThat(extractor.extract(null, null)).isEmpty();
    assertThat(extractor.extract("wa", null)).isEmpty();
    assertThat(extractor.extract("wa", "")).isEmpty();
    assertThat(extractor.extract("wa", " \n\t\r ")).isEmpty();
  }

  @Test
  void hugeInputsAreReadOnlyUpToTheCap() {
    String padding = "x".repeat(1_000_000);

    assertThat(code("tg", "Telegram code: 65847 " + padding)).contains("65847");
    assertThat(code("tg", padding + " Telegram code: 65847")).isEmpty();
    assertThat(code(null, "code 1234 ".repeat(100_000))).contains("1234");
    assertThat(code(null, "1".repeat(1_000_000))).isEmpty();
    assertThat(code(null, "验证码".repeat(100_000))).isEmpty();
  }

  @Test
  void brokenTextIsHandled() {
    assertThatCode(() -> extractor.extract("wa", "\uD83D".repeat(5_000) + " code 1234")).doesNotThrowAnyException();
    assertThatCode(() -> extractor.extract("wa", "\uDE00code\u0000 1234\uD83D")).doesNotThrowAnyException();
    assertThat(code(null, "Your code is 4821 \uD83D\uDE00")).contains("4821");
  }

  /** A seeded harness rather than a property-testing library: reproducible and dependency-free. */
  @Test
  void randomTextsNeverThrowAndOnlyYieldCodeShapedResults() {
    Random random = new Random(20_261_127L);
    String alphabet = "0123456789 0123456789 abcxyzGFBOTP -:.,#@+/*$€%<>[]()\n\t"
        + "кодКОДпароль验证码認証番号인증번호رمزکدקוד١٢٣٤۵۶۷０１２";
    String[] services = {null, "wa", "tg", "go", "fb", "mm", "ot", "zz", ""};

    for (int i = 0; i < 20_000; i++) {
      String text = randomText(random, alphabet);
      String service = services[random.nextInt(services.length)];

      Optional<ExtractedCode> found = extractor.extract(service, text);

      found.ifPresent(c -> {
        assertThat(c.code()).as("code from %s", text).matches("[0-9A-Z]{4,10}");
        assertThat(c.display()).as("display from %s", text).isNotBlank();
      });
    }
  }

  private static String randomText(Random random, String alphabet) {
    int length = random.nextInt(160);
    StringBuilder text = new StringBuilder(length);
    for (int j = 0; j < length; j++) {
      text.append(random.nextInt(25) == 0
          ? (char) random.nextInt(Character.MAX_VALUE + 1)
          : alphabet.charAt(random.nextInt(alphabet.length())));
    }
    return text.toString();
  }

  private Optional<String> code(String service, String text) {
    return extractor.extract(service, text).map(ExtractedCode::code);
  }
}
