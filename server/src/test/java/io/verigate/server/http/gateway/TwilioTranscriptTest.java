package io.verigate.server.http.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.verigate.server.testing.TestApp;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Twilio posting inbound-message webhooks to a real node: form-encoded, signed over the public URL the operator
 * entered in the Twilio console, which is not the loopback URL the test reaches the node on, as behind a proxy.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TwilioTranscriptTest {
  private static final String AUTH_TOKEN = "9f86d081884c7d659a2feaa0c55ad015";

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

  /** A Twilio account as the operator registered it, and the number it stocked. */
  private record Account(SupplyNode node, String name, String publicUrl, String number) {
    HttpResponse<String> post(Map<String, String> params) {
      return postSigned(params, TwilioSignature.sign(AUTH_TOKEN, publicUrl, multi(params)));
    }

    HttpResponse<String> postSigned(Map<String, String> params, String signature) {
      String form = params.entrySet().stream()
          .map(p -> URLEncoder.encode(p.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(p.getValue(), StandardCharsets.UTF_8))
          .collect(Collectors.joining("&"));
      return node.send("POST", "/api/v1/inbound/twilio/" + name, "application/x-www-form-urlencoded",
          form.getBytes(StandardCharsets.UTF_8), "X-Twilio-Signature", signature);
    }
  }

  private Account account(String countryIso) {
    String name = SupplyNode.uniqueName("twilio");
    String publicUrl = "https://sms.example.com/api/v1/inbound/twilio/" + name;
    node.admin("POST", "/admin/v1/sources", "{\"name\":\"" + name + "\",\"type\":\"twilio\",\"authToken\":\"" + AUTH_TOKEN
        + "\",\"webhookUrl\":\"" + publicUrl + "\"}");
    String number = SupplyNode.freshNumber(countryIso);
    node.importNumber(name, number);
    return new Account(node, name, publicUrl, number);
  }

  /** An inbound SMS as Twilio posts it, with the parameters it sends besides the message itself. */
  private static Map<String, String> inbound(String messageSid, String to, String body) {
    Map<String, String> params = new LinkedHashMap<>();
    params.put("ToCountry", "US");
    params.put("SmsMessageSid", messageSid);
    params.put("NumMedia", "0");
    params.put("SmsSid", messageSid);
    params.put("SmsStatus", "received");
    params.put("Body", body);
    params.put("To", to);
    params.put("NumSegments", "1");
    params.put("MessageSid", messageSid);
    params.put("AccountSid", "AC0123456789abcdef0123456789abcdef");
    params.put("From", "+14155550100");
    params.put("ApiVersion", "2010-04-01");
    return params;
  }

  private static String messageSid() {
    return "SM" + UUID.randomUUID().toString().replace("-", "");
  }

  private static Map<String, List<String>> multi(Map<String, String> params) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    params.forEach((name, value) -> out.put(name, List.of(value)));
    return out;
  }

  @Test
  void answersEmptyTwimlOnlyOnceTheCodeIsReadableThroughTheApi() {
    Account account = account("de");
    SupplyNode.Bought bought = node.buyWhatsApp("de");
    assertThat(bought.phone()).isEqualTo(account.number());

    HttpResponse<String> answer = account.post(inbound(messageSid(), account.number(), "Ваш код WhatsApp: 318-604"));

    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    assertThat(answer.headers().firstValue("Content-Type").orElse("")).startsWith("text/xml");
    assertThat(answer.body()).isEqualTo("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response/>");
    JsonNode activation = node.activation(bought);
    assertThat(activation.get("code").asText()).isEqualTo("318604");
    assertThat(activation.get("smsText").asText()).isEqualTo("Ваш код WhatsApp: 318-604");
    assertThat(node.health(account.name()).get("messages").asLong()).isEqualTo(1);
  }

  @Test
  void refusesABadSignatureStoresNothingAndCountsTheRejection() {
    Account account = account("fr");
    Map<String, String> params = inbound(messageSid(), account.number(), "Your code is 424242");

    HttpResponse<String> wrongToken = account.postSigned(params, TwilioSignature.sign("another-token", account.publicUrl(), multi(params)));
    HttpResponse<String> localUrl = account.postSigned(params,
        TwilioSignature.sign(AUTH_TOKEN, app.baseUrl() + "/api/v1/inbound/twilio/" + account.name(), multi(params)));
    Map<String, String> forged = new LinkedHashMap<>(params);
    forged.put("Body", "Your code is 000000");
    HttpResponse<String> changedBody = account.postSigned(forged, TwilioSignature.sign(AUTH_TOKEN, account.publicUrl(), multi(params)));

    assertThat(List.of(wrongToken.statusCode(), localUrl.statusCode(), changedBody.statusCode())).containsOnly(401);
    JsonNode health = node.health(account.name());
    assertThat(health.get("messages").asLong()).isZero();
    assertThat(health.get("rejected").asLong()).isEqualTo(3);
    assertThat(health.get("lastError").asText()).contains("X-Twilio-Signature");
  }

  @Test
  void storesAMessageTwilioSendsTwiceOnlyOnce() {
    Account account = account("es");
    Map<String, String> params = inbound(messageSid(), account.number(), "G-771903 is your Google verification code.");

    HttpResponse<String> first = account.post(params);
    HttpResponse<String> again = account.post(params);

    assertThat(first.statusCode()).isEqualTo(200);
    assertThat(again.statusCode()).isEqualTo(200);
    assertThat(again.body()).isEqualTo(first.body());
    JsonNode health = node.health(account.name());
    assertThat(health.get("messages").asLong()).isEqualTo(1);
    assertThat(health.get("duplicates").asLong()).isEqualTo(1);
  }

  @Test
  void acknowledgesAStatusCallbackWithoutStoringIt() {
    Account account = account("it");
    Map<String, String> status = new LinkedHashMap<>();
    status.put("MessageSid", messageSid());
    status.put("MessageStatus", "delivered");
    status.put("To", account.number());
    status.put("From", "+14155550100");

    HttpResponse<String> answer = account.post(status);

    assertThat(answer.statusCode()).isEqualTo(200);
    assertThat(node.health(account.name()).get("messages").asLong()).isZero();
  }

  @Test
  void showsTheOperatorTheSourceSettingsButNeverTheAuthToken() {
    Account account = account("pt");

    JsonNode source = node.admin("GET", "/admin/v1/sources/" + account.name(), "");

    assertThat(source.get("type").asText()).isEqualTo("twilio");
    assertThat(source.get("webhookUrl").asText()).isEqualTo(account.publicUrl());
    assertThat(source.get("signingSecretSet").asBoolean()).isTrue();
    assertThat(source.toString()).doesNotContain(AUTH_TOKEN);
  }

  @Test
  void refusesATwilioSourceWithoutItsAuthTokenAndWebhookUrl() {
    HttpResponse<String> refused = node.send("POST", "/admin/v1/sources", "application/json",
        ("{\"name\":\"" + SupplyNode.uniqueName("tw") + "\",\"type\":\"twilio\"}").getBytes(StandardCharsets.UTF_8),
        "Authorization", "Bearer " + app.adminToken());

    assertThat(refused.statusCode()).isEqualTo(400);
    assertThat(SupplyNode.json(refused).get("detail").asText()).contains("authToken", "webhookUrl");
  }
}
