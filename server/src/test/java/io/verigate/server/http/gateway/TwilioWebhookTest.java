package io.verigate.server.http.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.verigate.server.system.Failure;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Reading Twilio's form-encoded webhook bodies. */
class TwilioWebhookTest {
  private static TwilioWebhook parse(String form) {
    return TwilioWebhook.parse(form.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void decodesUtf8FormValuesAndKeepsEveryParameterForTheSignature() {
    TwilioWebhook webhook = parse("MessageSid=SM1&Body=%D0%9A%D0%BE%D0%B4+123-456&From=%2B14155550100&MediaUrl=a&MediaUrl=b&Empty");

    assertThat(webhook.required("Body")).isEqualTo("Код 123-456");
    assertThat(webhook.required("From")).isEqualTo("+14155550100");
    assertThat(webhook.params().get("MediaUrl")).isEqualTo(List.of("a", "b"));
    assertThat(webhook.params().get("Empty")).isEqualTo(List.of(""));
    assertThat(webhook.isMessage()).isTrue();
  }

  @Test
  void tellsAStatusCallbackFromAMessage() {
    assertThat(parse("MessageSid=SM1&MessageStatus=delivered").isMessage()).isFalse();
    assertThat(parse("").isMessage()).isFalse();
  }

  @Test
  void refusesABodyThatIsNoFormEncodingAndAMessageWithoutItsSid() {
    assertThatThrownBy(() -> parse("Body=%ZZ")).isInstanceOf(Failure.class);
    assertThatThrownBy(() -> parse("Body=hi&To=%2B1").required("MessageSid")).isInstanceOf(Failure.class)
        .hasMessageContaining("MessageSid");
  }
}
