package io.verigate.server.http.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/**
 * The gateway's {@code X-Signature}. The expected value was computed outside this code base, with
 * {@code printf '%s%s' "$BODY" 1719046000 | openssl dgst -sha256 -hmac j8Xr2kPqL0vN5tYw}, over the payload
 * example of the gateway's webhook documentation.
 */
class AndroidGatewaySignatureTest {
  private static final String KEY = "j8Xr2kPqL0vN5tYw";
  private static final byte[] BODY = ("{\"deviceId\":\"ffffffffceb0b1db0000018e937c815b\",\"event\":\"sms:received\","
      + "\"id\":\"Ey6ECgOkVVFjz3CL48B8C\",\"payload\":{\"messageId\":\"abc123\",\"message\":\"Android is always a sweet "
      + "treat!\",\"phoneNumber\":\"6505551212\",\"simNumber\":1,\"receivedAt\":\"2024-06-22T15:46:11.000+07:00\"},"
      + "\"webhookId\":\"LreFUt-Z3sSq0JufY9uWB\"}").getBytes(StandardCharsets.UTF_8);
  private static final long SIGNED_AT = 1719046000L;
  private static final String SIGNATURE = "dbc74f60053d6fac69509fa4cec9fc0f082cae11b379d9059b47cdff471b8a58";

  private static AndroidGatewaySignature at(long epochSecond) {
    return new AndroidGatewaySignature(Clock.fixed(Instant.ofEpochSecond(epochSecond), ZoneOffset.UTC));
  }

  @Test
  void acceptsTheHmacOfTheRawBodyFollowedByTheTimestamp() {
    assertThat(AndroidGatewaySignature.sign(KEY, BODY, String.valueOf(SIGNED_AT))).isEqualTo(SIGNATURE);
    assertThat(at(SIGNED_AT).refusal(KEY, BODY, String.valueOf(SIGNED_AT), SIGNATURE)).isEmpty();
    assertThat(at(SIGNED_AT).refusal(KEY, BODY, String.valueOf(SIGNED_AT), SIGNATURE.toUpperCase())).isEmpty();
  }

  @Test
  void acceptsClocksUpToFiveMinutesApartAndRefusesMore() {
    String timestamp = String.valueOf(SIGNED_AT);

    assertThat(at(SIGNED_AT + 300).refusal(KEY, BODY, timestamp, SIGNATURE)).isEmpty();
    assertThat(at(SIGNED_AT - 300).refusal(KEY, BODY, timestamp, SIGNATURE)).isEmpty();
    assertThat(at(SIGNED_AT + 301).refusal(KEY, BODY, timestamp, SIGNATURE)).get().asString().contains("5 minutes");
    assertThat(at(SIGNED_AT - 301).refusal(KEY, BODY, timestamp, SIGNATURE)).get().asString().contains("5 minutes");
  }

  @Test
  void refusesAnotherKeyAChangedBodyOrAChangedTimestamp() {
    AndroidGatewaySignature now = at(SIGNED_AT);
    byte[] changed = new String(BODY, StandardCharsets.UTF_8).replace("sweet", "sour").getBytes(StandardCharsets.UTF_8);

    assertThat(now.refusal("another-key", BODY, String.valueOf(SIGNED_AT), SIGNATURE)).isPresent();
    assertThat(now.refusal(KEY, changed, String.valueOf(SIGNED_AT), SIGNATURE)).isPresent();
    assertThat(now.refusal(KEY, BODY, String.valueOf(SIGNED_AT + 1), SIGNATURE)).isPresent();
  }

  @Test
  void aSourceWithoutASigningKeyRefusesEveryRequest() {
    assertThat(at(SIGNED_AT).refusal(null, BODY, String.valueOf(SIGNED_AT), SIGNATURE)).get().asString()
        .contains("no signing key");
  }

  @Test
  void refusesMissingHeadersAndValuesOfTheWrongShape() {
    AndroidGatewaySignature now = at(SIGNED_AT);

    assertThat(now.refusal(KEY, BODY, null, SIGNATURE)).isPresent();
    assertThat(now.refusal(KEY, BODY, String.valueOf(SIGNED_AT), null)).isPresent();
    assertThat(now.refusal(KEY, BODY, "yesterday", SIGNATURE)).get().asString().contains("Unix seconds");
    assertThat(now.refusal(KEY, BODY, String.valueOf(SIGNED_AT), "not hex at all")).isPresent();
    assertThat(now.refusal(KEY, BODY, String.valueOf(SIGNED_AT), SIGNATURE.substring(2))).isPresent();
  }
}
