package io.verigate.server.inbound.smshub;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.verigate.server.activation.ActivationStatus;
import io.verigate.server.system.ErrorCode;
import io.verigate.server.system.Failure;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The SMSHub agent protocol (version of 6 March 2024) as the hub speaks it: JSON over HTTP POST with the protocol key
 * in every request, numeric fields as JSON numbers, and answers whose {@code status} is SUCCESS, ERROR (with an
 * {@code error} text) or, to GET_NUMBER only, NO_NUMBERS.
 */
final class Protocol {
  /** Reads and writes the protocol's JSON; its records carry no dates, so the mapper needs no modules. */
  static final ObjectMapper JSON = new ObjectMapper();
  static final String SUCCESS = "SUCCESS";
  static final String ERROR = "ERROR";
  static final String NO_NUMBERS = "NO_NUMBERS";

  private Protocol() {}

  /** How many numbers the agent can hand out now; the hub asks every 10-20 s. */
  record GetServices(String action, String key) {
    GetServices(Agent agent) {
      this("GET_SERVICES", agent.key());
    }
  }

  /**
   * A number for one purchase. {@code sum} is what the agent earns for a sale, {@code currency} the ISO 4217 numeric
   * code (840 USD, 643 RUB), and {@code exceptionPhoneSet} the prefixes (with country code) it must not hand out.
   */
  record GetNumber(String action, String key, String country, String operator, String service, BigDecimal sum,
      int currency, @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> exceptionPhoneSet) {}

  /** How an activation on the agent's number ended; the agent must answer SUCCESS again to a repeat. */
  record FinishActivation(String action, String key, long activationId, int status) {
    FinishActivation(Agent agent, long activationId, int status) {
      this("FINISH_ACTIVATION", agent.key(), activationId, status);
    }
  }

  /** One count of a GET_SERVICES answer, in the agent's own names for country, operator and service. */
  record StockLine(String country, String operator, String service, int count) {}

  /** A number GET_NUMBER handed out: its digits with country code, and the agent's id for the activation. */
  record Given(String number, long activationId) {}

  /** A PUSH_SMS from an agent; {@code smsId} and {@code phone} are kept as their digits. */
  record PushSms(String smsId, String phone, String phoneFrom, String text) {}

  /**
   * Appendix 4: how an activation ended, in FINISH_ACTIVATION. The protocol also has 5, a refund after a sale;
   * Verigate never refunds a finished activation, so it never sends it.
   */
  enum FinishStatus {
    /** Stop offering the number for this service: the service refused it as already used. */
    STOP_OFFERING(1),
    /** Sold: the code arrived and the customer paid, so the agent earns its sum. */
    SOLD(3),
    /** Cancelled: no sale. The agent may offer the number for the service again (up to four times in all). */
    CANCELLED(4);

    final int code;

    FinishStatus(int code) {
      this.code = code;
    }

    /** FINISHED is a sale; CANCELED and EXPIRED earned nothing; BANNED means the service will not take the number. */
    static FinishStatus of(ActivationStatus ended) {
      return switch (ended) {
        case FINISHED -> SOLD;
        case CANCELED, EXPIRED -> CANCELLED;
        case BANNED -> STOP_OFFERING;
        case WAITING, RECEIVED -> throw new IllegalArgumentException("an activation that is " + ended + " has not ended");
      };
    }
  }

  /** Every count of a GET_SERVICES answer; a count that is not a whole number is refused with the whole answer. */
  static List<StockLine> stock(JsonNode reply) {
    requireStatus(reply, SUCCESS);
    JsonNode countries = reply.path("countryList");
    if (!countries.isArray()) {
      throw new AgentException("GET_SERVICES answer has no countryList array");
    }
    List<StockLine> lines = new ArrayList<>();
    for (JsonNode country : countries) {
      String name = country.path("country").asText("");
      for (Map.Entry<String, JsonNode> operator : country.path("operatorMap").properties()) {
        for (Map.Entry<String, JsonNode> service : operator.getValue().properties()) {
          JsonNode count = service.getValue();
          if (!count.canConvertToInt() || !count.isIntegralNumber() || count.intValue() < 0) {
            throw new AgentException("GET_SERVICES count of " + service.getKey() + " in " + name + " is not a whole number");
          }
          lines.add(new StockLine(name, operator.getKey(), service.getKey(), count.intValue()));
        }
      }
    }
    return lines;
  }

  /** The number GET_NUMBER handed out, or empty for NO_NUMBERS. */
  static Optional<Given> number(JsonNode reply) {
    if (NO_NUMBERS.equals(reply.path("status").asText())) {
      return Optional.empty();
    }
    requireStatus(reply, SUCCESS);
    return Optional.of(new Given(digits(reply.get("number"))
        .orElseThrow(() -> new AgentException("GET_NUMBER answer has no number")),
        digits(reply.get("activationId")).map(Long::parseLong)
            .orElseThrow(() -> new AgentException("GET_NUMBER answer has no activationId"))));
  }

  static void requireStatus(JsonNode reply, String expected) {
    String status = reply.path("status").asText();
    if (!expected.equals(status)) {
      String error = reply.path("error").asText("");
      throw new AgentException("answered " + (status.isEmpty() ? "no status" : status)
          + (error.isEmpty() ? "" : ": " + error));
    }
  }

  /**
   * A PUSH_SMS request. The real hub refuses {@code "smsId":"123"}; this one also takes digits in a string, since
   * refusing a message only makes the agent send it again every 10 s.
   */
  static PushSms pushSms(JsonNode body) {
    String action = body.path("action").asText();
    if (!"PUSH_SMS".equals(action)) {
      throw new Failure(ErrorCode.BAD_REQUEST, "action must be PUSH_SMS, got '" + action + "'");
    }
    String smsId = digits(body.get("smsId"))
        .orElseThrow(() -> new Failure(ErrorCode.BAD_REQUEST, "smsId must be the agent's numeric id of the SMS"));
    String phone = digits(body.get("phone"))
        .orElseThrow(() -> new Failure(ErrorCode.BAD_REQUEST, "phone must be the receiving number with its country code"));
    JsonNode text = body.get("text");
    if (text == null || !text.isTextual()) {
      throw new Failure(ErrorCode.BAD_REQUEST, "text must be a string");
    }
    JsonNode from = body.get("phoneFrom");
    if (from == null || !from.isValueNode() || from.isNull()) {
      throw new Failure(ErrorCode.BAD_REQUEST, "phoneFrom must be the sender, a number or a name");
    }
    return new PushSms(smsId, phone, from.asText(), text.asText());
  }

  /** An unsigned whole number as its digits, from a JSON number or a string of digits. */
  private static Optional<String> digits(JsonNode node) {
    if (node == null) {
      return Optional.empty();
    }
    if (node.isIntegralNumber() && node.bigIntegerValue().signum() >= 0 && node.bigIntegerValue().bitLength() < 64) {
      return Optional.of(node.bigIntegerValue().toString());
    }
    return node.isTextual() && node.asText().matches("\\d{1,18}") ? Optional.of(node.asText()) : Optional.empty();
  }

  /** An agent answered outside the protocol, refused, or could not be reached. */
  static final class AgentException extends RuntimeException {
    AgentException(String message) {
      super(message, null, false, false);
    }
  }
}
