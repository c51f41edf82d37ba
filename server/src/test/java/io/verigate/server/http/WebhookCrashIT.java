package io.verigate.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.verigate.server.App;
import io.verigate.server.http.support.Json;
import io.verigate.server.notify.Delivery;
import io.verigate.server.system.Config;
import io.verigate.server.system.Outbox;
import io.verigate.server.testing.Eventually;
import io.verigate.server.testing.NodeProcess;
import io.verigate.server.testing.TestDatabases;
import io.verigate.server.testing.WebhookReceiver;
import io.verigate.server.testing.WebhookReceiver.Received;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/**
 * At least once, across {@code kill -9}: a node killed while a receiver holds its webhook POST unanswered leaves the
 * delivery to the next node, which sends it again under the same {@code webhook-id}, signed by the same secret, once
 * the dead node's lease ran out (the second node's clock runs past it instead of the test waiting two minutes).
 */
class WebhookCrashIT {
  @Test
  void aDeliveryInFlightWhenItsNodeIsKilledIsSentAgainByTheNextNodeUnderTheSameWebhookId() throws Exception {
    String db = TestDatabases.freshPostgres();
    Map<String, String> config = new HashMap<>();
    config.put("port", "0");
    config.put("host", "127.0.0.1");
    config.put("db-url", db);
    config.put("admin-token", "crash-test-admin-token");
    config.put("master-key", Base64.getEncoder().encodeToString(
        "crash-test-master-key-32-bytes!!".getBytes(StandardCharsets.US_ASCII)));
    config.put("webhook-allow-private", "true");
    config.put("data-dir", Files.createTempDirectory("verigate-crash-a").toString());
    try (WebhookReceiver receiver = new WebhookReceiver()) {
      String secret;
      long customer;
      long webhook;
      String messageId;
      CountDownLatch held = receiver.holdNext();
      try (NodeProcess first = NodeProcess.start(config)) {
        RawHttp http = new RawHttp(first.baseUrl());
        String admin = "Bearer crash-test-admin-token";
        customer = http.post("/admin/v1/customers", "{\"name\":\"crash\"}", "Authorization", admin)
            .json().get("id").asLong();
        String key = http.post("/admin/v1/customers/" + customer + "/keys", "{\"mode\":\"live\"}", "Authorization",
            admin).text("key");
        RawHttp.Reply created = http.post("/api/v1/webhooks", Json.write(Map.of("url", receiver.url("/crash"))),
            "x-api-key", key);
        secret = created.text("secret");
        webhook = created.json().get("id").asLong();
        messageId = http.post("/api/v1/webhooks/" + webhook + "/test", "", "x-api-key", key).text("messageId");

        receiver.await(1, r -> true); // the first attempt is in flight, unanswered
        first.kill();
      }
      held.countDown();

      config.put("data-dir", Files.createTempDirectory("verigate-crash-b").toString());
      Clock pastTheLease = Clock.offset(Clock.systemUTC(), Outbox.LEASE.plusMinutes(1));
      try (App second = App.create(Config.defaults(config), pastTheLease).start()) {
        List<Received> attempts = receiver.await(2, r -> true);

        assertThat(attempts).extracting(r -> r.header("Webhook-id")).containsExactly(messageId, messageId);
        assertThat(attempts.get(1).body()).isEqualTo(attempts.get(0).body());
        assertThat(attempts).allSatisfy(r -> assertThat(r.signedBy(secret)).isTrue());
        Delivery delivery = Eventually.within(Duration.ofSeconds(20), "the delivery recorded as succeeded",
            () -> second.webhooks().deliveries(second.webhooks().ownerOf(customer, webhook), webhook, Long.MAX_VALUE,
                1).get(0), d -> d.state() == Delivery.State.SUCCEEDED);
        assertThat(delivery.messageId()).isEqualTo(messageId);
        assertThat(receiver.received()).hasSize(2);
      }
    } finally {
      TestDatabases.dropPostgres(db);
    }
  }
}
