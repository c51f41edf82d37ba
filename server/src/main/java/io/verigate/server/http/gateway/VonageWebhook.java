package io.verigate.server.http.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import io.verigate.server.http.support.Json;
import io.verigate.server.http.support.Requests;
import io.verigate.server.inbound.Part;
import io.verigate.server.inbound.Segment;
import io.verigate.server.inbound.SmsText;
import io.verigate.server.inbound.UserDataHeader;
import io.verigate.server.inventory.NumberSource;
import io.verigate.server.inventory.PhoneNumbers;
import io.verigate.server.system.ErrorCode;
import io.verigate.server.system.Failure;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * One call of the Vonage SMS API's inbound-message webhook: its parameters, from the query string (GET) or from a
 * form or JSON body (POST), as the account chose. Every parameter is kept, as Vonage signs them all; a JSON value is
 * the text it holds, as Vonage's own SDK reads it for the signature. The SMS fields are {@code type} ({@code text},
 * {@code unicode} or {@code binary}), {@code to}, {@code msisdn}, {@code messageId}, {@code message-timestamp},
 * {@code text} or {@code data} and {@code udh}, and for a part of a long message {@code concat=true} with
 * {@code concat-ref}, {@code concat-total} and {@code concat-part}. A missing or malformed field is refused, naming it.
 */
record VonageWebhook(Map<String, String> params) {
  private static final DateTimeFormatter MESSAGE_TIMESTAMP = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss");
  private static final List<String> TYPES = List.of("text", "unicode", "binary");
  private static final int MAX_MESSAGE_ID = 100;
  private static final int MAX_SENDER = 64;
  private static final int MAX_REFERENCE = 100;
  /** An SMS part is 160 characters or 140 octets; the journal keeps 4,000 characters of a message. */
  private static final int MAX_CONTENT = 4_000;

  /** The query string's parameters, then the body's; the first value of a name repeated within either counts. */
  static VonageWebhook parse(String queryString, String contentType, byte[] body) {
    Map<String, String> params = new LinkedHashMap<>();
    FormEncoding.decode(queryString).forEach((name, values) -> params.put(name, values.get(0)));
    boolean json = contentType != null && contentType.trim().toLowerCase(Locale.ROOT).startsWith("application/json");
    if (json) {
      params.putAll(jsonParams(body));
    } else {
      String form = new String(body, StandardCharsets.UTF_8);
      FormEncoding.decode(form).forEach((name, values) -> params.put(name, values.get(0)));
    }
    return new VonageWebhook(params);
  }

  String messageId() {
    String id = required("messageId");
    if (id.length() > MAX_MESSAGE_ID) {
      throw new Failure(ErrorCode.BAD_REQUEST, "messageId is longer than " + MAX_MESSAGE_ID + " characters");
    }
    return id;
  }

  /** The Vonage number that received the SMS, in E.164: Vonage sends it as digits without the plus. */
  String receiver() {
    String to = required("to");
    return PhoneNumbers.parse(to).map(PhoneNumbers.Parsed::e164)
        .orElseThrow(() -> new Failure(ErrorCode.BAD_REQUEST, "to must be a phone number, got '" + to + "'"));
  }

  String sender() {
    String msisdn = required("msisdn").trim();
    if (msisdn.length() > MAX_SENDER) {
      throw new Failure(ErrorCode.BAD_REQUEST, "msisdn is longer than " + MAX_SENDER + " characters");
    }
    return msisdn;
  }

  /** When Vonage started to push the message (UTC), if {@code message-timestamp} reads as such. */
  Optional<Instant> sentAt() {
    String value = params.get("message-timestamp");
    if (value == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(LocalDateTime.parse(value.trim(), MESSAGE_TIMESTAMP).toInstant(ZoneOffset.UTC));
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  /**
   * Where this SMS sits in a long message: by the concat fields, or else by a concatenation element in a binary
   * message's header. Numbers that make no sense together read as a whole SMS, as TS 23.040 has receivers do.
   */
  Segment segment() {
    if ("true".equalsIgnoreCase(params.getOrDefault("concat", "").trim())) {
      String reference = required("concat-ref");
      if (reference.length() > MAX_REFERENCE) {
        throw new Failure(ErrorCode.BAD_REQUEST, "concat-ref is longer than " + MAX_REFERENCE + " characters");
      }
      return Segment.of("concat", reference, Requests.intParam("concat-total", params.get("concat-total")),
          Requests.intParam("concat-part", params.get("concat-part"))).orElse(Segment.WHOLE);
    }
    String udh = params.get("udh");
    if (binary() && udh != null && !udh.isBlank()) {
      return UserDataHeader.concatenation(hex("udh", udh)).orElse(Segment.WHOLE);
    }
    return Segment.WHOLE;
  }

  /** The text of an SMS that came whole. */
  String text() {
    return binary() ? SmsText.decode(SmsText.OCTETS, data()) : content();
  }

  /** This SMS as a part of the long message it belongs to. */
  Part part(Segment segment, String receiver, Instant receivedAt) {
    return binary()
        ? Part.of(NumberSource.VONAGE, segment, sender(), receiver, SmsText.OCTETS, data(), receivedAt)
        : Part.ofText(NumberSource.VONAGE, segment, sender(), receiver, content(), receivedAt);
  }

  private boolean binary() {
    String type = required("type").trim().toLowerCase(Locale.ROOT);
    if (!TYPES.contains(type)) {
      throw new Failure(ErrorCode.BAD_REQUEST, "type must be one of " + TYPES + ", got '" + type + "'");
    }
    return type.equals("binary");
  }

  private String content() {
    String text = params.get("text");
    if (text == null) {
      throw new Failure(ErrorCode.BAD_REQUEST, "text is required in a text or unicode message");
    }
    if (text.length() > MAX_CONTENT) {
      throw new Failure(ErrorCode.BAD_REQUEST, "text is longer than " + MAX_CONTENT + " characters");
    }
    return text;
  }

  private byte[] data() {
    byte[] data = hex("data", required("data"));
    if (data.length > MAX_CONTENT) {
      throw new Failure(ErrorCode.BAD_REQUEST, "data is longer than " + MAX_CONTENT + " octets");
    }
    return data;
  }

  private String required(String name) {
    String value = params.get(name);
    if (value == null || value.isBlank()) {
      throw new Failure(ErrorCode.BAD_REQUEST, name + " is required in a Vonage inbound message");
    }
    return value;
  }

  private static byte[] hex(String name, String value) {
    try {
      return HexFormat.of().parseHex(value.trim());
    } catch (IllegalArgumentException e) {
      throw new Failure(ErrorCode.BAD_REQUEST, name + " must be hex, two digits an octet");
    }
  }

  /** A flat JSON object: null values count as absent, and nested ones are refused. */
  private static Map<String, String> jsonParams(byte[] body) {
    JsonNode root = Json.webhookBody(body);
    Map<String, String> params = new LinkedHashMap<>();
    root.properties().forEach(field -> {
      String value = Json.text(root, field.getKey());
      if (value != null) {
        params.put(field.getKey(), value);
      }
    });
    return params;
  }
}
