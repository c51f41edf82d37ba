package io.verigate.server.http.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.verigate.server.system.ErrorCode;
import io.verigate.server.system.Failure;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Reading SMS Gateway for Android webhooks in the shapes its app versions send. */
class AndroidWebhookTest {
  private static AndroidWebhook parse(String json) {
    return AndroidWebhook.parse(json.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void readsTheDocumentedSmsReceivedPayload() {
    AndroidWebhook webhook = parse("{\"deviceId\":\"ffffffffceb0b1db0000018e937c815b\",\"event\":\"sms:received\","
        + "\"id\":\"Ey6ECgOkVVFjz3CL48B8C\",\"payload\":{\"messageId\":\"abc123\",\"message\":\"Android is always a "
        + "sweet treat!\",\"phoneNumber\":\"6505551212\",\"simNumber\":1,\"receivedAt\":\"2024-06-22T15:46:11.000+07:00\"},"
        + "\"webhookId\":\"LreFUt-Z3sSq0JufY9uWB\"}");

    assertThat(webhook.event()).isEqualTo("sms:received");
    assertThat(webhook.providerId(0)).isEqualTo("Ey6ECgOkVVFjz3CL48B8C");
    assertThat(webhook.messages()).containsExactly(new AndroidWebhook.Sms("6505551212", null,
        "Android is always a sweet treat!", 1, Instant.parse("2024-06-22T08:46:11Z")));
  }

  @Test
  void prefersTheNewerSenderFieldAndReadsTheRecipientWhenThePhoneKnowsIt() {
    AndroidWebhook webhook = parse("{\"event\":\"sms:received\",\"id\":\"e1\",\"payload\":{\"message\":\"hi\","
        + "\"sender\":\"+15550001111\",\"recipient\":\"+15550002222\",\"phoneNumber\":\"5550001111\",\"simNumber\":null,"
        + "\"receivedAt\":\"not a time\"}}");

    assertThat(webhook.messages()).containsExactly(new AndroidWebhook.Sms("+15550001111", "+15550002222", "hi", null, null));
  }

  @Test
  void fallsBackToTheOlderPhoneNumberFieldWhenTheSenderIsBlank() {
    AndroidWebhook webhook = parse("{\"event\":\"sms:received\",\"id\":\"e2\",\"payload\":{\"message\":\"hi\","
        + "\"sender\":\"\",\"phoneNumber\":\"5550001111\"}}");

    assertThat(webhook.messages()).extracting(AndroidWebhook.Sms::sender).containsExactly("5550001111");
  }

  @Test
  void numbersTheMessagesOfABatchWithinItsEnvelopeId() {
    AndroidWebhook webhook = parse("{\"event\":\"sms:batch:received\",\"id\":\"b7\",\"payload\":{\"messages\":["
        + "{\"message\":\"one\",\"phoneNumber\":\"A\",\"simNumber\":1},{\"message\":\"two\",\"phoneNumber\":\"B\",\"simNumber\":2}]}}");

    assertThat(webhook.messages()).extracting(AndroidWebhook.Sms::text).containsExactly("one", "two");
    assertThat(webhook.providerId(0)).isEqualTo("b7#0");
    assertThat(webhook.providerId(1)).isEqualTo("b7#1");
  }

  @Test
  void findsNoSmsInEventsAboutSendingPingsOrMms() {
    assertThat(parse("{\"event\":\"sms:sent\",\"id\":\"s1\",\"payload\":{\"messageId\":\"x\"}}").messages()).isEmpty();
    assertThat(parse("{\"event\":\"system:ping\",\"payload\":{\"health\":{}}}").messages()).isEmpty();
    assertThat(parse("{\"event\":\"mms:received\",\"id\":\"m1\",\"payload\":{}}").messages()).isEmpty();
  }

  @Test
  void refusesBodiesThatAreNoSmsReceivedWebhook() {
    assertRefused("not json", ErrorCode.MALFORMED_JSON);
    assertRefused("[1,2]", ErrorCode.MALFORMED_JSON);
    assertRefused("{\"id\":\"e1\",\"payload\":{}}", ErrorCode.BAD_REQUEST);
    assertRefused("{\"event\":\"sms:received\",\"payload\":{\"message\":\"m\",\"phoneNumber\":\"A\"}}", ErrorCode.BAD_REQUEST);
    assertRefused("{\"event\":\"sms:received\",\"id\":\"e1\",\"payload\":{\"phoneNumber\":\"A\"}}", ErrorCode.BAD_REQUEST);
    assertRefused("{\"event\":\"sms:received\",\"id\":\"e1\",\"payload\":{\"message\":\"m\"}}", ErrorCode.BAD_REQUEST);
    assertRefused("{\"event\":\"sms:received\",\"id\":\"e1\",\"payload\":\"text\"}", ErrorCode.BAD_REQUEST);
    assertRefused("{\"event\":\"sms:received\",\"id\":\"e1\",\"payload\":{\"message\":\"m\",\"phoneNumber\":\"A\","
        + "\"simNumber\":\"first\"}}", ErrorCode.BAD_REQUEST);
    assertRefused("{\"event\":\"sms:batch:received\",\"id\":\"b1\",\"payload\":{\"messages\":{}}}", ErrorCode.BAD_REQUEST);
  }

  private static void assertRefused(String json, ErrorCode code) {
    assertThatThrownBy(() -> parse(json)).as(json).isInstanceOfSatisfying(Failure.class,
        failure -> assertThat(failure.code()).isEqualTo(code));
  }
}
