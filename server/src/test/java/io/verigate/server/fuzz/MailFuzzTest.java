package io.verigate.server.fuzz;

import static io.verigate.server.fuzz.Fuzzing.capped;
import static io.verigate.server.fuzz.Fuzzing.withinBound;
import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.verigate.server.email.MailExtractor;
import io.verigate.server.email.MailFindings;
import io.verigate.server.email.MailReader;
import io.verigate.server.email.ParsedMail;
import io.verigate.server.inbound.CodeExtractor;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.BeforeEach;

/**
 * The path every received letter takes, from raw bytes to code and link: MIME structure, transfer encodings, charsets,
 * HTML made text, extraction. Whatever a sender writes, it must neither throw nor stall, and what it finds has the
 * shape of a code and of a web link.
 */
class MailFuzzTest {
  private static final MailExtractor EXTRACTOR = new MailExtractor(new CodeExtractor());

  @BeforeEach
  void loadTheParsersUntimed() {
    check(("Subject: Your code\r\nContent-Type: text/html\r\n\r\n<a href=\"https://x.example/verify?t=1\">Verify</a>"
        + " Your code is 123456").getBytes(StandardCharsets.UTF_8));
  }

  /** Input: a raw message, as the SMTP listener hands it on after DATA. */
  @FuzzTest(maxDuration = "45s")
  void mimeToCodeAndLinkNeverThrowsAndFindsWellShapedValues(byte[] input) {
    byte[] raw = capped(input);

    withinBound(() -> check(raw));
  }

  private static void check(byte[] raw) {
    ParsedMail mail = MailReader.read(raw);
    assertThat(mail.subject()).isNotNull();
    assertThat(mail.from()).isNotNull();
    assertThat(mail.text()).isNotNull();
    MailFindings found = EXTRACTOR.find(mail);
    if (found.code() != null) {
      assertThat(found.code()).matches("[0-9A-Z]{4,10}");
    }
    if (found.link() != null) {
      assertThat(found.link()).matches("(?i)https?://\\S+").hasSizeLessThanOrEqualTo(2000);
    }
  }
}
