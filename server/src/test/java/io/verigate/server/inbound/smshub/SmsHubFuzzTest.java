package io.verigate.server.inbound.smshub;

import static io.verigate.server.fuzz.Fuzzing.capped;
import static io.verigate.server.fuzz.Fuzzing.withinBound;
import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import io.verigate.server.fuzz.Fuzzing.Framed;
import io.verigate.server.http.support.Json;
import io.verigate.server.inventory.PhoneNumbers;
import io.verigate.server.system.ErrorCode;
import io.verigate.server.system.Failure;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;

/**
 * What an SMSHub agent controls: the body of its PUSH_SMS, gzip-compressed or not, and its answers to GET_SERVICES
 * and GET_NUMBER. Each is read, or refused the protocol's way: a {@link Failure} (400) for a push, an
 * {@link Protocol.AgentException} for an answer, an {@link IOException} for a body that is not gzip or JSON.
 * Inputs are the Content-Encoding header on the first line, then the body.
 */
class SmsHubFuzzTest {
  /** PushSms' inflation limit; AgentClient allows answers of megabytes, which would only slow the fuzzer. */
  private static final int INFLATED_LIMIT = 64 * 1024;

  @BeforeEach
  void loadTheParsersUntimed() {
    byte[] push = ("{\"action\":\"PUSH_SMS\",\"key\":\"k\",\"smsId\":1,\"phone\":79161234567,"
        + "\"phoneFrom\":\"WhatsApp\",\"text\":\"code 123-456\"}").getBytes(StandardCharsets.UTF_8);
    checkPushSms("gzip", Gzip.compress(push));
    checkAgentAnswer(null, "{\"status\":\"SUCCESS\",\"number\":79161234567,\"activationId\":1}"
        .getBytes(StandardCharsets.UTF_8));
  }

  @FuzzTest
  void pushSmsIsReadOrRefused(byte[] input) {
    Framed in = Framed.of(capped(input), 1);

    withinBound(() -> checkPushSms(in.line(0), in.rest()));
  }

  @FuzzTest
  void agentAnswersAreReadOrRefused(byte[] input) {
    Framed in = Framed.of(capped(input), 1);

    withinBound(() -> checkAgentAnswer(in.line(0), in.rest()));
  }

  private static void checkPushSms(String contentEncoding, byte[] body) {
    readJsonObject(contentEncoding, body).ifPresent(json -> {
      Protocol.PushSms sms;
      try {
        sms = Protocol.pushSms(json);
      } catch (Failure refused) {
        assertThat(refused.code()).isEqualTo(ErrorCode.BAD_REQUEST);
        return;
      }
      assertThat(sms.smsId()).matches("[0-9]{1,19}");
      assertThat(sms.phone()).matches("[0-9]{1,19}");
      assertThat(sms.phoneFrom()).isNotNull();
      assertThat(sms.text()).isNotNull();
      PhoneNumbers.parse(sms.phone());
    });
  }

  private static void checkAgentAnswer(String contentEncoding, byte[] body) {
    readJsonObject(contentEncoding, body).ifPresent(answer -> {
      try {
        Protocol.stock(answer).forEach(line -> assertThat(line.count()).isNotNegative());
      } catch (Protocol.AgentException refused) {
        // refused: an answer outside the protocol
      }
      try {
        Protocol.number(answer).ifPresent(given -> {
          assertThat(given.number()).matches("[0-9]{1,19}");
          assertThat(given.activationId()).isNotNegative();
        });
      } catch (Protocol.AgentException refused) {
        // refused: an answer outside the protocol
      }
    });
  }

  /** As both ends of the protocol read a body: gzip when it looks or says so, then a JSON object, or nothing. */
  private static Optional<JsonNode> readJsonObject(String contentEncoding, byte[] body) {
    try {
      byte[] json = Gzip.isCompressed(body, contentEncoding) ? Gzip.decompress(body, INFLATED_LIMIT) : body;
      JsonNode node = Json.MAPPER.readTree(json);
      return node != null && node.isObject() ? Optional.of(node) : Optional.empty();
    } catch (IOException refused) {
      return Optional.empty();
    }
  }
}
