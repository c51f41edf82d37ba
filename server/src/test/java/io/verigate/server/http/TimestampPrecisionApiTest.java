package io.verigate.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.verigate.server.http.support.Json;
import io.verigate.server.testing.MutableClock;
import io.verigate.server.testing.TestApp;
import io.verigate.server.testing.WebhookReceiver;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Every timestamp in every answer is ISO-8601 UTC to the millisecond, although the node's clock here has nanoseconds
 * and the database keeps microseconds: the same moment reads the same in every answer.
 */
class TimestampPrecisionApiTest {
  private static final Pattern LOOKS_LIKE_A_TIMESTAMP = Pattern.compile("^\\d{4}-\\d\\d-\\d\\dT.*");
  private static final Pattern MILLISECONDS_UTC = Pattern.compile("^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z$");

  /** A string in an answer that holds a timestamp: which answer, where in it, and the text. */
  private record Found(String answer, String path, String text) {}

  private final List<Found> seen = new ArrayList<>();

  @Test
  void everyAnswerWritesTimestampsToTheMillisecond() throws IOException {
    MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:00.123456789Z"));
    try (TestApp app = TestApp.start(false, Map.of("webhook-allow-private", "true"), clock);
        WebhookReceiver receiver = new WebhookReceiver()) {
      RawHttp http = new RawHttp(app.baseUrl());
      TestApp.Customer customer = app.liveCustomer("10.00");
      String[] key = {"x-api-key", customer.key()};
      TestApp.Source source = app.createSource();
      String number = app.stock(source.name(), "US", null, 1).get(0);
      collect("webhook", http.post("/api/v1/webhooks", "{\"url\":\"" + receiver.url("/hook") + "\"}", key));

      JsonNode bought = collect("purchase", http.post("/api/v1/activations",
          "{\"serviceCode\":\"wa\",\"countryIso\":\"US\"}", key));
      String id = bought.get("id").asText();
      clock.advance(Duration.ofNanos(1_234_567));
      app.deliver(source, number, "WhatsApp", "Your WhatsApp code 123-456", clock.instant());
      collect("poll", http.get("/api/v1/activations/" + id, key));
      collect("finish", http.post("/api/v1/activations/" + id + "/finish", null, key));
      collect("list", http.get("/api/v1/activations", key));
      collect("transactions", http.get("/api/v1/wallet/transactions", key));
      collect("keys", http.get("/api/v1/keys", key));
      collect("webhooks", http.get("/api/v1/webhooks", key));
      collect("deliveries", http.get("/api/v1/webhooks/" + firstId(http.get("/api/v1/webhooks", key)) + "/deliveries", key));
      collect("quick-start status", http.get("/status?id=" + id, key));
      String[] admin = {"Authorization", "Bearer " + app.adminToken()};
      collect("admin customers", http.get("/admin/v1/customers", admin));
      collect("admin keys", http.get("/admin/v1/customers/" + customer.id() + "/keys", admin));
      collect("admin source", http.get("/admin/v1/sources/" + source.name(), admin));
      collect("admin audit", http.get("/admin/v1/audit", admin));
      collect("5sim order", http.get("/v1/user/check/" + id, "Authorization", "Bearer " + customer.key()));
      try (EventStreamClient events = EventStreamClient.open(app.baseUrl() + "/api/v1/events", "x-api-key", customer.key(), "Last-Event-ID", "0")) {
        collect("event stream", events.next(Duration.ofSeconds(10)).data());
      }
      for (WebhookReceiver.Received delivery : receiver.await(1, delivery -> true)) {
        collect("webhook body", Json.MAPPER.readTree(delivery.body()));
      }
      collect("admin outbox", http.get("/admin/v1/outbox?state=done", admin));
    }

    assertThat(seen).as("timestamps found in the answers").hasSizeGreaterThan(20);
    assertThat(new TreeSet<>(seen.stream().map(Found::answer).toList()))
        .contains("purchase", "finish", "transactions", "keys", "webhooks", "admin audit", "admin outbox",
            "5sim order", "event stream", "webhook body");
    assertThat(seen).allSatisfy(found -> assertThat(found.text()).as(found.toString()).matches(MILLISECONDS_UTC));
  }

  private static String firstId(RawHttp.Reply list) {
    JsonNode items = list.json().has("items") ? list.json().get("items") : list.json();
    return items.get(0).get("id").asText();
  }

  private JsonNode collect(String where, RawHttp.Reply reply) {
    assertThat(reply.status()).as("%s: %s", where, reply.body()).isLessThan(300);
    return collect(where, reply.json());
  }

  private JsonNode collect(String where, JsonNode node) {
    walk(where, "", node);
    return node;
  }

  private void walk(String where, String path, JsonNode node) {
    if (node == null) {
      return;
    }
    if (node.isTextual() && LOOKS_LIKE_A_TIMESTAMP.matcher(node.asText()).matches()) {
      seen.add(new Found(where, path, node.asText()));
    }
    if (node.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
        Map.Entry<String, JsonNode> field = fields.next();
        walk(where, path + "." + field.getKey(), field.getValue());
      }
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        walk(where, path + "[" + i + "]", node.get(i));
      }
    }
  }
}
