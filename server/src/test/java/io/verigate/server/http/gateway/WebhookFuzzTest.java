package io.verigate.server.http.gateway;

import static io.verigate.server.fuzz.Fuzzing.capped;
import static io.verigate.server.fuzz.Fuzzing.withinBound;
import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.verigate.server.fuzz.Fuzzing.Framed;
import io.verigate.server.inbound.Segment;
import io.verigate.server.inventory.NumberSource;
import io.verigate.server.inventory.PhoneNumbers;
import io.verigate.server.system.ErrorCode;
import io.verigate.server.system.Failure;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;

/**
 * What a stranger on the internet controls in the HTTP adapters: the body, the query string and the signatures. The
 * verifiers answer yes or no and never throw; the parsers return or refuse with a {@link Failure} (a 400), never
 * anything else. Inputs are header lines first, then the body, as in the seed files.
 */
class WebhookFuzzTest {
  private static final long NOW = 1_790_000_000L;
  private static final String SIGNING_KEY = "fuzz-signing-key";
  private static final AndroidGatewaySignature ANDROID =
      new AndroidGatewaySignature(Clock.fixed(Instant.ofEpochSecond(NOW), ZoneOffset.UTC));
  // Twilio's published request-validation example, so a seed can carry a genuine signature.
  private static final String TWILIO_TOKEN = "12345";
  private static final String TWILIO_URL = "https://mycompany.com/myapp.php?foo=1&bar=2";
  // The signing example in the tests of Vonage's Java SDK (secret "abcde", timestamp 2100), for the same reason.
  private static final String VONAGE_SECRET = "abcde";
  private static final String VONAGE_TIMESTAMP = "2100";
  private static final VonageSignature VONAGE =
      new VonageSignature(Clock.fixed(Instant.ofEpochSecond(Long.parseLong(VONAGE_TIMESTAMP)), ZoneOffset.UTC));

  @BeforeEach
  void loadTheParsersUntimed() {
    byte[] android = ("{\"id\":\"e1\",\"event\":\"sms:received\",\"payload\":{\"message\":\"Telegram code 65847\","
        + "\"sender\":\"Telegram\",\"recipient\":\"+14155550101\",\"simNumber\":1,"
        + "\"receivedAt\":\"2026-11-27T12:30:00.000+01:00\"}}").getBytes(StandardCharsets.UTF_8);
    String timestamp = Long.toString(NOW);
    checkAndroidWebhook(timestamp, AndroidGatewaySignature.sign(SIGNING_KEY, android, timestamp), android);
    checkTwilioWebhook("-", "MessageSid=SM1&From=%2B16505550123&To=%2B14155550101&Body=code+4821"
        .getBytes(StandardCharsets.UTF_8));
    checkVonageWebhook("application/json", "", ("{\"msisdn\":\"447700900001\",\"to\":\"14155550101\","
        + "\"messageId\":\"0A01\",\"type\":\"text\",\"text\":\"code 4821\",\"concat\":\"true\","
        + "\"concat-ref\":\"8\",\"concat-total\":\"2\",\"concat-part\":\"1\"}").getBytes(StandardCharsets.UTF_8));
  }

  /** Input: X-Timestamp, X-Signature, body. Only an authentic, fresh request passes the check. */
  @FuzzTest
  void androidWebhookIsVerifiedThenParsedOrRefused(byte[] input) {
    Framed in = Framed.of(capped(input), 2);

    withinBound(() -> checkAndroidWebhook(in.line(0), in.line(1), in.rest()));
  }

  /**
   * Input: X-Timestamp, body; the test signs them as the phone would. A genuine signature is accepted exactly
   * when the timestamp is Unix seconds within the window, so no timestamp slips past the replay check.
   */
  @FuzzTest
  void signedAndroidWebhookIsAcceptedExactlyWhenFresh(byte[] input) {
    Framed in = Framed.of(capped(input), 1);
    String timestamp = in.line(0);
    byte[] body = in.rest();
    String signature = timestamp == null ? null : AndroidGatewaySignature.sign(SIGNING_KEY, body, timestamp.trim());

    withinBound(() -> {
      boolean accepted = ANDROID.refusal(SIGNING_KEY, body, timestamp, signature).isEmpty();

      assertThat(accepted).as("accepted X-Timestamp '%s'", timestamp).isEqualTo(fresh(timestamp));
    });
  }

  /** Input: X-Twilio-Signature, form body. A parsed body always verifies against its own signature. */
  @FuzzTest
  void twilioWebhookIsParsedOrRefusedAndVerified(byte[] input) {
    Framed in = Framed.of(capped(input), 1);

    withinBound(() -> checkTwilioWebhook(in.line(0), in.rest()));
  }

  /**
   * Input: Content-Type, query string, body. Parameters that parse always verify against their own signature, by
   * every method, and the SMS they carry is read or refused with a 400.
   */
  @FuzzTest
  void vonageWebhookIsParsedOrRefusedAndVerified(byte[] input) {
    Framed in = Framed.of(capped(input), 2);

    withinBound(() -> checkVonageWebhook(in.line(0), in.line(1), in.rest()));
  }

  private static void checkAndroidWebhook(String timestamp, String signature, byte[] body) {
    if (ANDROID.refusal(SIGNING_KEY, body, timestamp, signature).isEmpty()) {
      String genuine = AndroidGatewaySignature.sign(SIGNING_KEY, body, timestamp.trim());
      assertThat(signature.trim()).isEqualToIgnoringCase(genuine);
      assertThat(fresh(timestamp)).isTrue();
    }
    AndroidWebhook webhook;
    try {
      webhook = AndroidWebhook.parse(body);
    } catch (Failure refused) {
      assertThat(refused.code()).isIn(ErrorCode.MALFORMED_JSON, ErrorCode.BAD_REQUEST);
      return;
    }
    assertThat(webhook.event()).isNotBlank();
    for (int i = 0; i < webhook.messages().size(); i++) {
      AndroidWebhook.Sms sms = webhook.messages().get(i);
      assertThat(webhook.providerId(i)).isNotBlank();
      assertThat(sms.sender()).isNotNull();
      assertThat(sms.text()).isNotBlank();
      Optional.ofNullable(sms.recipient()).ifPresent(PhoneNumbers::parse);
    }
  }

  private static void checkTwilioWebhook(String header, byte[] body) {
    TwilioWebhook webhook;
    try {
      webhook = TwilioWebhook.parse(body);
    } catch (Failure refused) {
      assertThat(refused.code()).isEqualTo(ErrorCode.BAD_REQUEST);
      return;
    }
    TwilioSignature.matches(TWILIO_TOKEN, TWILIO_URL, webhook.params(), header);
    String genuine = TwilioSignature.sign(TWILIO_TOKEN, TWILIO_URL, webhook.params());
    assertThat(TwilioSignature.matches(TWILIO_TOKEN, TWILIO_URL, webhook.params(), genuine)).isTrue();
    assertThat(TwilioSignature.matches("another-token", TWILIO_URL, webhook.params(), genuine)).isFalse();
    if (webhook.isMessage()) {
      readTwilioMessage(webhook);
    }
  }

  /** The fields TwilioRoutes reads from a message; a missing one is a refusal. */
  private static void readTwilioMessage(TwilioWebhook webhook) {
    try {
      PhoneNumbers.parse(webhook.required("To"));
      webhook.required("MessageSid");
      webhook.required("From");
      webhook.optional("Body");
    } catch (Failure refused) {
      assertThat(refused.code()).isEqualTo(ErrorCode.BAD_REQUEST);
    }
  }

  private static void checkVonageWebhook(String contentType, String query, byte[] body) {
    VonageWebhook webhook;
    try {
      webhook = VonageWebhook.parse(query, contentType, body);
    } catch (Failure refused) {
      assertThat(refused.code()).isIn(ErrorCode.MALFORMED_JSON, ErrorCode.BAD_REQUEST);
      return;
    }
    for (String method : NumberSource.VONAGE_SIGNATURE_METHODS) {
      VONAGE.refusal(VONAGE_SECRET, method, webhook.params());
      Map<String, String> signed = new HashMap<>(webhook.params());
      signed.put("timestamp", VONAGE_TIMESTAMP);
      signed.put("sig", VonageSignature.sign(VONAGE_SECRET, method, signed));
      assertThat(VONAGE.refusal(VONAGE_SECRET, method, signed)).as(method).isEmpty();
    }
    readVonageMessage(webhook);
  }

  /** The fields VonageRoutes reads; a missing or malformed one is a refusal. */
  private static void readVonageMessage(VonageWebhook webhook) {
    try {
      String receiver = webhook.receiver();
      webhook.messageId();
      webhook.sentAt();
      Segment segment = webhook.segment();
      if (segment.whole()) {
        assertThat(webhook.text()).isNotNull();
      } else {
        assertThat(webhook.part(segment, receiver, Instant.ofEpochSecond(NOW)).total()).isEqualTo(segment.total());
      }
    } catch (Failure refused) {
      assertThat(refused.code()).isEqualTo(ErrorCode.BAD_REQUEST);
    }
  }

  private static boolean fresh(String timestamp) {
    if (timestamp == null) {
      return false;
    }
    try {
      long seconds = Long.parseLong(timestamp.trim());
      long window = AndroidGatewaySignature.WINDOW.toSeconds();
      return seconds >= NOW - window && seconds <= NOW + window;
    } catch (NumberFormatException e) {
      return false;
    }
  }
}
