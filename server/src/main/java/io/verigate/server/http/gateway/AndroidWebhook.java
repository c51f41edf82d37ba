package io.verigate.server.http.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import io.verigate.server.http.support.Json;
import io.verigate.server.system.ErrorCode;
import io.verigate.server.system.Failure;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * One webhook of SMS Gateway for Android: the envelope {@code {"id", "event", "deviceId", "webhookId", "payload"}}
 * and the SMS it carries. {@code sms:received} carries one in {@code payload}; {@code sms:batch:received} carries
 * {@code payload.messages}; every other event (sent, delivered, ping, MMS, data SMS) carries none for us.
 */
record AndroidWebhook(String event, String id, List<Sms> messages) {
  static final String RECEIVED = "sms:received";
  static final String BATCH_RECEIVED = "sms:batch:received";

  /**
   * One received SMS. {@code sender} is the newer {@code sender} field or the older {@code phoneNumber};
   * {@code recipient} is the SIM's own number when the phone knows it (newer app versions, often null);
   * {@code simSlot} is the {@code simNumber} slot index (null on some phones); {@code receivedAt} is null
   * when missing or unreadable.
   */
  record Sms(String sender, String recipient, String text, Integer simSlot, Instant receivedAt) {}

  /** The id the pipeline deduplicates on: the envelope id, which the phone keeps across retries. */
  String providerId(int index) {
    return event.equals(BATCH_RECEIVED) ? id + "#" + index : id;
  }

  static AndroidWebhook parse(byte[] body) {
    JsonNode root = Json.webhookBody(body);
    String event = required(root, "event");
    List<Sms> messages = new ArrayList<>();
    JsonNode payload = root.path("payload");
    if (event.equals(RECEIVED)) {
      messages.add(sms(payload));
    } else if (event.equals(BATCH_RECEIVED)) {
      JsonNode batch = payload.path("messages");
      if (!batch.isArray()) {
        throw new Failure(ErrorCode.BAD_REQUEST, "payload.messages must be an array");
      }
      batch.forEach(sms -> messages.add(sms(sms)));
    }
    String id = messages.isEmpty() ? Json.text(root, "id") : required(root, "id");
    return new AndroidWebhook(event, id, messages);
  }

  private static Sms sms(JsonNode payload) {
    if (!payload.isObject()) {
      throw new Failure(ErrorCode.BAD_REQUEST, "payload must be an object");
    }
    String sender = Json.text(payload, "sender");
    return new Sms(sender != null && !sender.isBlank() ? sender : required(payload, "phoneNumber"),
        Json.text(payload, "recipient"), required(payload, "message"), simSlot(payload.get("simNumber")),
        receivedAt(Json.text(payload, "receivedAt")));
  }

  private static Integer simSlot(JsonNode value) {
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isIntegralNumber() || !value.canConvertToInt()) {
      throw new Failure(ErrorCode.BAD_REQUEST, "payload simNumber must be a whole number or null");
    }
    return value.intValue();
  }

  /** The phone's local time with its offset; an unreadable one is left to the caller's clock. */
  private static Instant receivedAt(String value) {
    if (value == null) {
      return null;
    }
    try {
      return OffsetDateTime.parse(value.trim()).toInstant();
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  private static String required(JsonNode node, String field) {
    String value = Json.text(node, field);
    if (value == null || value.isBlank()) {
      throw new Failure(ErrorCode.BAD_REQUEST, field + " is required in an SMS Gateway webhook");
    }
    return value;
  }
}
