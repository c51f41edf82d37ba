package io.verigate.server.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.verigate.server.system.Failure;
import io.verigate.server.testing.StandardWebhooks;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class WebhookSecretTest {
  /** The test vector of the Standard Webhooks specification. */
  private static final String SPEC_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
  private static final String SPEC_ID = "msg_p5jXN8AQM9LWM0D4loKWxJek";
  private static final long SPEC_TIMESTAMP = 1614265330;
  private static final String SPEC_BODY = "{\"test\": 2432232314}";
  private static final String SPEC_SIGNATURE = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

  @Test
  void theIndependentVerifierAgreesWithTheSpecsTestVector() {
    assertThat(StandardWebhooks.signature(SPEC_SECRET, SPEC_ID, "1614265330", SPEC_BODY)).isEqualTo(SPEC_SIGNATURE);
    assertThat(StandardWebhooks.verifies(SPEC_SECRET, SPEC_ID, "1614265330", SPEC_BODY, SPEC_SIGNATURE)).isTrue();
    assertThat(StandardWebhooks.verifies(SPEC_SECRET, SPEC_ID, "1614265331", SPEC_BODY, SPEC_SIGNATURE)).isFalse();
  }

  @Test
  void signsTheSpecsTestVector() {
    assertThat(WebhookSecret.parse(SPEC_SECRET).sign(SPEC_ID, SPEC_TIMESTAMP, SPEC_BODY)).isEqualTo(SPEC_SIGNATURE);
  }

  @Test
  void aGeneratedSecretIsWhsecAndAtLeast24RandomBytesThatTheVerifierAccepts() {
    WebhookSecret secret = WebhookSecret.generate();

    assertThat(secret.text()).startsWith("whsec_");
    assertThat(Base64.getDecoder().decode(secret.text().substring(6))).hasSizeGreaterThanOrEqualTo(24);
    assertThat(secret.text()).isNotEqualTo(WebhookSecret.generate().text());
    String header = secret.sign("evt_1", 1700000000, "{}");
    assertThat(StandardWebhooks.verifies(secret.text(), "evt_1", "1700000000", "{}", header)).isTrue();
    assertThat(secret.toString()).doesNotContain(secret.text().substring(6));
  }

  @Test
  void theHeaderCarriesOneSignaturePerSecretSoEitherVerifies() {
    WebhookSecret current = WebhookSecret.generate();
    WebhookSecret previous = WebhookSecret.generate();

    String header = WebhookSecret.header(List.of(current, previous), "evt_7", 1700000000, "{\"a\":1}");

    assertThat(header.split(" ")).hasSize(2);
    assertThat(StandardWebhooks.verifies(current.text(), "evt_7", "1700000000", "{\"a\":1}", header)).isTrue();
    assertThat(StandardWebhooks.verifies(previous.text(), "evt_7", "1700000000", "{\"a\":1}", header)).isTrue();
    assertThat(StandardWebhooks.verifies(WebhookSecret.generate().text(), "evt_7", "1700000000", "{\"a\":1}", header))
        .isFalse();
  }

  @Test
  void refusesASecretThatIsNotWhsecBase64() {
    assertThatThrownBy(() -> WebhookSecret.parse("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")).isInstanceOf(Failure.class);
    assertThatThrownBy(() -> WebhookSecret.parse("whsec_not base64!")).isInstanceOf(Failure.class);
  }
}
