package io.verigate.server.http.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.verigate.server.testing.TestApp;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * SMS Gateway for Android posting its webhooks to a real node, byte for byte as the app does: the JSON envelope,
 * signed over the raw body and timestamp. Each test has a source (phone) of its own, so its health is its own,
 * and buys in a country of its own, so allocation hands it the number it stocked.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AndroidGatewayTranscriptTest {
  TestApp app;
  SupplyNode node;

  /** The node the transcript runs against; the PostgreSQL run starts its own. */
  TestApp startNode() {
    return TestApp.start();
  }

  @BeforeAll
  void start() {
    app = startNode();
    node = new SupplyNode(app);
  }

  @AfterAll
  void stop() {
    app.close();
  }

  /** One phone as the operator registered it: the source's name and the signing key shared with the app. */
  private record Phone(SupplyNode node, String name, String signingKey) {
    HttpResponse<String> post(String body) {
      return postSignedAt(body, Instant.now().getEpochSecond());
    }

    HttpResponse<String> postSignedAt(String body, long timestamp) {
      byte[] raw = body.getBytes(StandardCharsets.UTF_8);
      String signature = AndroidGatewaySignature.sign(signingKey, raw, String.valueOf(timestamp));
      return postWith(raw, String.valueOf(timestamp), signature);
    }

    HttpResponse<String> postWith(byte[] raw, String timestamp, String signature) {
      return node.send("POST", "/api/v1/inbound/android/" + name, "application/json", raw,
          "User-Agent", "me.capcom.smsgateway/1.0", "X-Timestamp", timestamp, "X-Signature", signature);
    }
  }

  /** A phone whose SIM slot 1 holds {@code number}, with the number stocked for sale. */
  private Phone phoneWithSim1(String number) {
    String name = SupplyNode.uniqueName("pixel");
    JsonNode created = node.admin("POST", "/admin/v1/sources",
        "{\"name\":\"" + name + "\",\"type\":\"android\",\"sims\":{\"1\":\"" + number + "\"}}");
    node.importNumber(name, number);
    return new Phone(node, name, created.get("signingKey").asText());
  }

  /** The documented {@code sms:received} envelope of the app, before the 2026 sender and recipient fields. */
  private static String smsReceived(String id, Integer simSlot, String sender, String text) {
    return "{\"deviceId\":\"ffffffffceb0b1db0000018e937c815b\",\"event\":\"sms:received\",\"id\":\"" + id + "\","
        + "\"payload\":{\"messageId\":\"abc123\",\"message\":\"" + text + "\",\"phoneNumber\":\"" + sender + "\","
        + "\"simNumber\":" + simSlot + ",\"receivedAt\":\"2026-11-27T15:46:11.000+07:00\"},"
        + "\"webhookId\":\"LreFUt-Z3sSq0JufY9uWB\"}";
  }

  private static String envelopeId() {
    return UUID.randomUUID().toString().replace("-", "").substring(0, 21);
  }

  @Test
  void storesASignedSmsWhoseCodeIsReadableThroughTheApiByTheTimeThePhoneIsAnswered() {
    Phone phone = phoneWithSim1(SupplyNode.freshNumber("de"));
    SupplyNode.Bought bought = node.buyWhatsApp("de");

    HttpResponse<String> answer = phone.post(smsReceived(envelopeId(), 1, "WhatsApp", "Your WhatsApp code: 482-913"));

    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    assertThat(SupplyNode.json(answer).get("stored").asInt()).isEqualTo(1);
    // Read right after the 2xx, without waiting: the phone was answered only after the commit.
    JsonNode activation = node.activation(bought);
    assertThat(activation.get("status").asText()).isEqualTo("RECEIVED");
    assertThat(activation.get("code").asText()).isEqualTo("482913");
    assertThat(activation.get("smsFrom").asText()).isEqualTo("WhatsApp");
    JsonNode health = node.health(phone.name());
    assertThat(health.get("messages").asLong()).isEqualTo(1);
    assertThat(health.get("lastMessageAt").isNull()).isFalse();
    assertThat(health.get("rejected").asLong()).isZero();
  }

  @Test
  void refusesABadSignatureStoresNothingAndCountsTheRejection() {
    Phone phone = phoneWithSim1(SupplyNode.freshNumber("at"));
    String body = smsReceived(envelopeId(), 1, "WhatsApp", "Your WhatsApp code: 111-222");
    long now = Instant.now().getEpochSecond();
    byte[] raw = body.getBytes(StandardCharsets.UTF_8);

    HttpResponse<String> wrongKey = new Phone(node, phone.name(), "not-the-key").post(body);
    HttpResponse<String> tampered = phone.postWith(body.replace("111-222", "999-999").getBytes(StandardCharsets.UTF_8),
        String.valueOf(now), AndroidGatewaySignature.sign(phone.signingKey(), raw, String.valueOf(now)));
    HttpResponse<String> unsigned = node.send("POST", "/api/v1/inbound/android/" + phone.name(), "application/json", raw);

    assertThat(wrongKey.statusCode()).isEqualTo(401);
    assertThat(tampered.statusCode()).isEqualTo(401);
    assertThat(unsigned.statusCode()).isEqualTo(401);
    JsonNode health = node.health(phone.name());
    assertThat(health.get("messages").asLong()).isZero();
    assertThat(health.get("rejected").asLong()).isEqualTo(3);
    assertThat(health.get("lastError").asText()).contains("X-Signature");
  }

  @Test
  void refusesAWellSignedRequestFromOutsideTheReplayWindow() {
    Phone phone = phoneWithSim1(SupplyNode.freshNumber("ch"));

    HttpResponse<String> replayed = phone.postSignedAt(smsReceived(envelopeId(), 1, "WhatsApp", "code 123456"),
        Instant.now().minusSeconds(600).getEpochSecond());

    assertThat(replayed.statusCode()).isEqualTo(401);
    JsonNode health = node.health(phone.name());
    assertThat(health.get("messages").asLong()).isZero();
    assertThat(health.get("lastError").asText()).contains("5 minutes");
  }

  @Test
  void storesARetriedWebhookOnceAndCountsTheRepeat() {
    Phone phone = phoneWithSim1(SupplyNode.freshNumber("nl"));
    String body = smsReceived(envelopeId(), 1, "WhatsApp", "Your WhatsApp code: 246-810");

    HttpResponse<String> first = phone.post(body);
    HttpResponse<String> retry = phone.post(body);

    assertThat(first.statusCode()).isEqualTo(200);
    assertThat(retry.statusCode()).isEqualTo(200);
    assertThat(SupplyNode.json(retry).get("duplicates").asInt()).isEqualTo(1);
    JsonNode health = node.health(phone.name());
    assertThat(health.get("messages").asLong()).isEqualTo(1);
    assertThat(health.get("duplicates").asLong()).isEqualTo(1);
  }

  @Test
  void refusesAnSmsFromAnUnmappedSimUntilTheOperatorMapsItAndThenTakesThePhonesRetry() {
    String first = SupplyNode.freshNumber("se");
    String second = SupplyNode.freshNumber("se");
    Phone phone = phoneWithSim1(first);
    node.importNumber(phone.name(), second);
    SupplyNode.Bought onFirst = node.buyWhatsApp("se");
    SupplyNode.Bought onSecond = node.buyWhatsApp("se");
    assertThat(onSecond.phone()).isEqualTo(second);
    String body = smsReceived(envelopeId(), 2, "WhatsApp", "Your WhatsApp code: 135-791");

    HttpResponse<String> beforeMapping = phone.post(body);
    assertThat(beforeMapping.statusCode()).isEqualTo(400);
    assertThat(node.health(phone.name()).get("lastError").asText()).contains("SIM 2");

    JsonNode configured = node.admin("PATCH", "/admin/v1/sources/" + phone.name(),
        "{\"sims\":{\"1\":\"" + first + "\",\"2\":\"" + second + "\"}}");
    assertThat(configured.get("sims").get("2").asText()).isEqualTo(second);
    HttpResponse<String> retry = phone.post(body);

    assertThat(retry.statusCode()).isEqualTo(200);
    assertThat(node.activation(onSecond).get("code").asText()).isEqualTo("135791");
    assertThat(node.activation(onFirst).get("code").isNull()).isTrue();
    JsonNode health = node.health(phone.name());
    assertThat(health.get("messages").asLong()).isEqualTo(1);
    assertThat(health.get("rejected").asLong()).isEqualTo(1);
  }

  @Test
  void takesTheNumberThePhoneReportsWhenTheSourceHasNoSimMap() {
    String number = SupplyNode.freshNumber("fi");
    String name = SupplyNode.uniqueName("moto");
    String key = node.admin("POST", "/admin/v1/sources", "{\"name\":\"" + name + "\",\"type\":\"android\"}")
        .get("signingKey").asText();
    node.importNumber(name, number);
    SupplyNode.Bought bought = node.buyWhatsApp("fi");
    String body = "{\"deviceId\":\"d1\",\"event\":\"sms:received\",\"id\":\"" + envelopeId() + "\",\"payload\":{"
        + "\"messageId\":\"m1\",\"message\":\"WhatsApp code 864-202\",\"sender\":\"WhatsApp\",\"recipient\":\""
        + number + "\",\"phoneNumber\":\"WhatsApp\",\"simNumber\":null,\"receivedAt\":\"2026-11-27T10:00:00.000+02:00\"},"
        + "\"webhookId\":\"w1\"}";

    HttpResponse<String> answer = new Phone(node, name, key).post(body);

    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    assertThat(node.activation(bought).get("code").asText()).isEqualTo("864202");
  }

  @Test
  void takesABatchWholeAndKnowsItsMessagesOnRetry() {
    Phone phone = phoneWithSim1(SupplyNode.freshNumber("no"));
    String batch = "{\"deviceId\":\"d2\",\"event\":\"sms:batch:received\",\"id\":\"" + envelopeId() + "\",\"payload\":"
        + "{\"messages\":[{\"messageId\":\"a\",\"message\":\"code 111111\",\"phoneNumber\":\"Telegram\",\"simNumber\":1,"
        + "\"receivedAt\":\"2026-11-27T10:00:00.000+01:00\"},{\"messageId\":\"b\",\"message\":\"code 222222\","
        + "\"phoneNumber\":\"Telegram\",\"simNumber\":1,\"receivedAt\":\"2026-11-27T10:00:05.000+01:00\"}]},"
        + "\"webhookId\":\"w2\"}";

    assertThat(SupplyNode.json(phone.post(batch)).get("stored").asInt()).isEqualTo(2);
    assertThat(SupplyNode.json(phone.post(batch)).get("duplicates").asInt()).isEqualTo(2);

    JsonNode health = node.health(phone.name());
    assertThat(health.get("messages").asLong()).isEqualTo(2);
    assertThat(health.get("duplicates").asLong()).isEqualTo(2);
  }

  @Test
  void acknowledgesEventsThatCarryNoIncomingSmsWithoutStoringAnything() {
    Phone phone = phoneWithSim1(SupplyNode.freshNumber("dk"));
    String sent = "{\"deviceId\":\"d3\",\"event\":\"sms:sent\",\"id\":\"" + envelopeId() + "\",\"payload\":"
        + "{\"messageId\":\"x\",\"phoneNumber\":\"+4512345678\",\"simNumber\":1,\"partsCount\":1,"
        + "\"sentAt\":\"2026-11-27T10:00:00.000+01:00\"},\"webhookId\":\"w3\"}";

    HttpResponse<String> answer = phone.post(sent);

    assertThat(answer.statusCode()).isEqualTo(200);
    assertThat(SupplyNode.json(answer).get("stored").asInt()).isZero();
    assertThat(node.health(phone.name()).get("messages").asLong()).isZero();
  }

  @Test
  void answersNotFoundForASourceThatIsNoAndroidPhone() {
    String name = SupplyNode.uniqueName("generic");
    node.admin("POST", "/admin/v1/sources", "{\"name\":\"" + name + "\"}");

    HttpResponse<String> answer = node.send("POST", "/api/v1/inbound/android/" + name, "application/json",
        "{}".getBytes(StandardCharsets.UTF_8));

    assertThat(answer.statusCode()).isEqualTo(404);
    assertThat(SupplyNode.json(answer).get("code").asText()).isEqualTo("NOT_FOUND");
  }
}
