package io.verigate.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.verigate.server.testing.TestApp;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every answer says {@code X-Content-Type-Options: nosniff} and {@code Cache-Control: no-store}: the ones that carry a
 * code, an SMS text, a key or a secret in every dialect, and refusals of every kind, down to the ones Jetty gives
 * before any route runs.
 */
class ResponseHeadersTest {
  private static TestApp app;
  private static RawHttp http;
  private static String key;
  private static String id;

  @BeforeAll
  static void start() {
    app = TestApp.start(Map.of());
    http = new RawHttp(app.baseUrl());
    key = app.sandboxKey();
    RawHttp.Reply bought = http.post("/api/v1/activations", "{\"serviceCode\":\"wa\",\"countries\":[\"us\"],"
        + "\"operator\":\"nocode\"}", "x-api-key", key);
    id = bought.text("id");
    http.post("/api/v1/sandbox/activations/" + id + "/sms", "{\"text\":\"Your code is 482913\"}", "x-api-key", key);
  }

  @AfterAll
  static void stop() {
    app.close();
  }

  @Test
  void answersThatCarryACodeOrTextAreNeitherSniffedNorStored() {
    Map<String, RawHttp.Reply> replies = new LinkedHashMap<>();
    RawHttp.Reply rest = http.get("/api/v1/activations/" + id, "x-api-key", key);
    replies.put("REST activation", rest);
    replies.put("REST conditional read", http.get("/api/v1/activations/" + id, "x-api-key", key, "If-None-Match",
        rest.header("ETag")));
    replies.put("REST long poll", http.get("/api/v1/activations/" + id + "?wait=1", "x-api-key", key, "If-None-Match",
        rest.header("ETag")));
    replies.put("REST list", http.get("/api/v1/activations", "x-api-key", key));
    replies.put("quick-start status", http.get("/status?key=" + key + "&id=" + id));
    replies.put("sms-activate getStatus", http.get("/stubs/handler_api.php?api_key=" + key + "&action=getStatus&id=" + id));
    replies.put("sms-activate getFullSms", http.get("/stubs/handler_api.php?api_key=" + key + "&action=getFullSms&id=" + id));
    replies.put("5sim check", http.get("/v1/user/check/" + id, "Authorization", "Bearer " + key));
    replies.put("5sim inbox", http.get("/v1/user/sms/inbox/" + id, "Authorization", "Bearer " + key));

    assertThat(replies.get("REST activation").text("code")).isEqualTo("482913");
    assertThat(replies.get("REST conditional read").status()).isEqualTo(304);
    assertThat(replies.get("5sim inbox").body()).contains("482913");
    replies.forEach(ResponseHeadersTest::assertProtected);
  }

  @Test
  void answersThatShowANewKeyOrSecretAreNeitherSniffedNorStored() {
    String admin = "Bearer " + app.adminToken();
    RawHttp.Reply customer = http.post("/admin/v1/customers", "{\"name\":\"headers\"}", "Authorization", admin);
    Map<String, RawHttp.Reply> replies = new LinkedHashMap<>();
    replies.put("new API key", http.post("/admin/v1/customers/" + customer.text("id") + "/keys", "{\"mode\":\"live\"}",
        "Authorization", admin));
    replies.put("new source with its push token", http.post("/admin/v1/sources", "{\"name\":\"headers-gw\"}",
        "Authorization", admin));
    replies.put("new android source with its signing key", http.post("/admin/v1/sources",
        "{\"name\":\"headers-phone\",\"type\":\"android\"}", "Authorization", admin));

    assertThat(replies.get("new API key").text("key")).isNotBlank();
    assertThat(replies.get("new android source with its signing key").text("signingKey")).isNotBlank();
    replies.forEach(ResponseHeadersTest::assertProtected);
  }

  @Test
  void refusalsOfEveryKindAreNeitherSniffedNorStored() {
    Map<String, RawHttp.Reply> replies = new LinkedHashMap<>();
    replies.put("REST not found", http.get("/api/v1/activations/999999", "x-api-key", key));
    replies.put("REST bad key", http.get("/api/v1/wallet/balance"));
    replies.put("no such route", http.get("/nowhere"));
    replies.put("wrong method", http.send("DELETE", "/api/v1/wallet/balance", null, "x-api-key", key));
    replies.put("sms-activate bad key", http.get("/stubs/handler_api.php?api_key=nope&action=getBalance"));
    replies.put("5sim order not found", http.get("/v1/user/check/999999", "Authorization", "Bearer " + key));
    replies.put("refused before routing", http.get("/api/v1/wallet%2Fbalance", "x-api-key", key));
    replies.put("the health check", http.get("/health"));

    assertThat(replies.get("refused before routing").status()).isEqualTo(400);
    replies.forEach(ResponseHeadersTest::assertProtected);
  }

  private static void assertProtected(String what, RawHttp.Reply reply) {
    assertThat(reply.header("X-Content-Type-Options")).as(what).isEqualTo("nosniff");
    assertThat(reply.header("Cache-Control")).as(what).isEqualTo("no-store");
  }
}
