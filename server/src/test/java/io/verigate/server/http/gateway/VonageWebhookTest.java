package io.verigate.server.http.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.verigate.server.inbound.Part;
import io.verigate.server.inbound.Segment;
import io.verigate.server.system.ErrorCode;
import io.verigate.server.system.Failure;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HexFormat;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/** Reading the Vonage SMS API's inbound webhook in each of the three shapes an account can choose. */
class VonageWebhookTest {
  private static final String FORM = "msisdn=447700900001&to=4915123456789&messageId=0A0000000123ABCD1&type=unicode"
      + "&text=%D0%9A%D0%BE%D0%B4+318-604&keyword=%D0%9A%D0%BE%D0%B4&message-timestamp=2026-11-27+10%3A15%3A30";
  private static final Instant T0 = Instant.parse("2026-11-27T10:15:30Z");

  @Test
  void readsTheSameMessageFromAQueryStringAFormBodyOrAJsonBody() {
    String json = "{\"msisdn\":\"447700900001\",\"to\":\"4915123456789\",\"messageId\":\"0A0000000123ABCD1\","
        + "\"type\":\"unicode\",\"text\":\"Код 318-604\",\"keyword\":\"Код\",\"message-timestamp\":\"2026-11-27 10:15:30\"}";

    VonageWebhook get = VonageWebhook.parse(FORM, null, new byte[0]);
    VonageWebhook form = VonageWebhook.parse(null, "application/x-www-form-urlencoded", bytes(FORM));
    VonageWebhook posted = VonageWebhook.parse(null, "application/json; charset=UTF-8", bytes(json));

    assertThat(form.params()).isEqualTo(get.params());
    assertThat(posted.params()).isEqualTo(get.params());
    assertThat(get.receiver()).isEqualTo("+4915123456789");
    assertThat(get.sender()).isEqualTo("447700900001");
    assertThat(get.messageId()).isEqualTo("0A0000000123ABCD1");
    assertThat(get.text()).isEqualTo("Код 318-604");
    assertThat(get.sentAt()).contains(T0);
    assertThat(get.segment().whole()).isTrue();
  }

  @Test
  void takesJsonNumbersAndBooleansAsTheirTextAndNullsAsAbsent() {
    VonageWebhook webhook = VonageWebhook.parse(null, "application/json",
        bytes("{\"concat\":true,\"concat-ref\":8,\"concat-total\":2,\"concat-part\":1,\"keyword\":null}"));

    assertThat(webhook.params()).containsEntry("concat", "true").containsEntry("concat-total", "2")
        .doesNotContainKey("keyword");
    assertThat(webhook.segment()).isEqualTo(new Segment("concat", "8", 2, 1));
  }

  @Test
  void readsTheConcatFieldsWithTheReferenceAsText() {
    VonageWebhook webhook = form(FORM + "&concat=true&concat-ref=08B5&concat-total=3&concat-part=2");

    assertThat(webhook.segment()).isEqualTo(new Segment("concat", "08B5", 3, 2));
    Part part = webhook.part(webhook.segment(), "+4915123456789", T0);
    assertThat(part.channel()).isEqualTo("vonage");
    assertThat(part.dataCoding()).isEqualTo(0x08);
    assertThat(part.payload()).isEqualTo(HexFormat.of().formatHex("Код 318-604".getBytes(StandardCharsets.UTF_16BE)));
  }

  @Test
  void readsConcatNumbersThatMakeNoSenseTogetherAsAWholeMessage() {
    assertThat(form(FORM + "&concat=true&concat-ref=1&concat-total=1&concat-part=1").segment().whole()).isTrue();
    assertThat(form(FORM + "&concat=true&concat-ref=1&concat-total=2&concat-part=3").segment().whole()).isTrue();
    assertThat(form(FORM + "&concat=false&concat-ref=1&concat-total=2&concat-part=1").segment().whole()).isTrue();
  }

  @Test
  void readsABinaryMessageFromItsDataAndItsHeaderFromUdh() {
    VonageWebhook webhook = form("type=binary&msisdn=Bank&to=4915123456789&messageId=X1&data=436f646520343832"
        + "&udh=050003a70302");

    assertThat(webhook.segment()).isEqualTo(new Segment("udh8", "167", 3, 2));
    assertThat(webhook.text()).isEqualTo("Code 482");
    assertThat(webhook.part(webhook.segment(), "+4915123456789", T0).payload()).isEqualTo("436f646520343832");
  }

  @Test
  void leavesAnUnreadableMessageTimestampToTheClock() {
    assertThat(form("message-timestamp=27.11.2026+10%3A15").sentAt()).isEmpty();
    assertThat(form("type=text").sentAt()).isEmpty();
  }

  @Test
  void refusesMissingAndMalformedFieldsNamingThem() {
    assertRefused(() -> form("type=text&msisdn=Bank&messageId=X1&text=hi").receiver(), "to is required");
    assertRefused(() -> form("to=12").receiver(), "to must be a phone number");
    assertRefused(() -> form("type=fax&text=hi").text(), "type must be one of");
    assertRefused(() -> form("type=text").text(), "text is required");
    assertRefused(() -> form("type=binary&data=0g").text(), "data must be hex");
    assertRefused(() -> form("type=binary&data=00&udh=5").segment(), "udh must be hex");
    assertRefused(() -> form("concat=true&concat-total=2&concat-part=1").segment(), "concat-ref is required");
    assertRefused(() -> form("concat=true&concat-ref=a&concat-total=two&concat-part=1").segment(), "concat-total");
    assertRefused(() -> form("msisdn=" + "9".repeat(65)).sender(), "msisdn is longer");
    assertThatThrownBy(() -> VonageWebhook.parse(null, "application/json", bytes("[1]")))
        .isInstanceOfSatisfying(Failure.class, f -> assertThat(f.code()).isEqualTo(ErrorCode.MALFORMED_JSON));
    assertRefused(() -> VonageWebhook.parse(null, "application/json", bytes("{\"text\":{\"a\":1}}")),
        "text must be a string");
  }

  private static void assertRefused(ThrowingCallable reading, String reason) {
    assertThatThrownBy(reading).isInstanceOfSatisfying(Failure.class, f -> {
      assertThat(f.code()).isEqualTo(ErrorCode.BAD_REQUEST);
      assertThat(f.getMessage()).contains(reason);
    });
  }

  private static VonageWebhook form(String form) {
    return VonageWebhook.parse(form, null, new byte[0]);
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
