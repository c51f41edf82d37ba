package io.verigate.server.notify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.verigate.server.catalog.Catalog;
import io.verigate.server.catalog.Country;
import io.verigate.server.system.EventLog;
import io.verigate.server.system.Timestamps;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * The JSON an endpoint receives for an event, in the endpoint's format. Written once, when the event happens. An
 * sms-activate endpoint hears only received codes, and a test event, which it gets in the standard shape.
 */
final class WebhookBody {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final DateTimeFormatter SMS_ACTIVATE_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

  private final Catalog catalog;

  WebhookBody(Catalog catalog) {
    this.catalog = catalog;
  }

  String of(EventLog.Event event, WebhookFormat format) {
    JsonNode data = parse(event.data());
    ObjectNode body = MAPPER.createObjectNode();
    if (format == WebhookFormat.SMS_ACTIVATE && event.type().equals(EventTypes.ACTIVATION_RECEIVED)) {
      body.set("activationId", data.get("activationId"));
      body.put("service", data.path("service").asText());
      body.put("text", data.path("text").asText());
      body.put("code", data.path("code").asText());
      Integer country = catalog.country(data.path("country").asText()).map(Country::smsActivateId).orElse(null);
      body.put("country", country);
      body.put("receivedAt", SMS_ACTIVATE_TIME.format(event.occurredAt()));
    } else {
      body.put("type", event.type());
      body.put("timestamp", Timestamps.format(event.occurredAt()));
      body.set("data", data);
    }
    return body.toString();
  }

  private static JsonNode parse(String data) {
    try {
      return MAPPER.readTree(data);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("the event log holds an event whose data is not JSON", e);
    }
  }
}
