package io.verigate.server.http;

import static io.verigate.server.http.Refusals.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.verigate.server.http.support.Json;
import io.verigate.server.testing.TestApp;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /admin/v1/audit}: the operator's changes, newest first, each with who made it and from where, and never
 * a secret, not even one the operator sent or was shown.
 */
class AuditApiTest {
  private static TestApp app;
  private static RawHttp http;
  private static String[] admin;

  @BeforeAll
  static void start() {
    app = TestApp.start();
    http = new RawHttp(app.baseUrl());
    admin = new String[] {"Authorization", "Bearer " + app.adminToken()};
  }

  @AfterAll
  static void stop() {
    app.close();
  }

  @Test
  void recordsAWalletCreditWithTheAdminItsAddressAndTheAmount() {
    TestApp.Customer customer = app.liveCustomer("0");

    app.admin("POST", "/admin/v1/customers/" + customer.id() + "/wallet/credit", Map.of("amount", "25", "memo", "invoice 7"));

    JsonNode credit = entries("?action=wallet.credited").get(0);
    assertThat(credit.get("action").asText()).isEqualTo("wallet.credited");
    assertThat(credit.get("subject").asText()).isEqualTo("customer:" + customer.id());
    assertThat(credit.get("actor").asText()).isEqualTo("admin");
    assertThat(credit.get("clientAddress").asText()).isEqualTo("127.0.0.1");
    assertThat(credit.get("detail")).isEqualTo(Json.MAPPER.valueToTree(
        Map.of("mode", "live", "amount", "25.00", "memo", "invoice 7")));
    assertThat(credit.get("at").asText()).isNotBlank();
  }

  @Test
  void recordsThatASourceSecretChangedButNeverTheSecret() {
    JsonNode created = app.admin("POST", "/admin/v1/sources",
        Map.of("name", "pixel-audit", "type", "android", "signingKey", "first-secret-4711"));
    app.admin("PATCH", "/admin/v1/sources/pixel-audit", Map.of("signingKey", "rotated-secret-0815"));
    app.admin("PATCH", "/admin/v1/sources/pixel-audit", Map.of("sims", Map.of("1", "+14155550123")));

    List<JsonNode> log = entries("?limit=200");
    JsonNode secretChange = entries("?action=source.secret_changed").get(0);
    assertThat(secretChange.get("subject").asText()).isEqualTo("source:pixel-audit");
    assertThat(secretChange.get("detail")).isEqualTo(Json.MAPPER.valueToTree(Map.of("changed", List.of("signingKey"))));
    assertThat(entries("?action=source.configured").get(0).get("detail"))
        .isEqualTo(Json.MAPPER.valueToTree(Map.of("changed", List.of("sims"))));
    assertThat(log).anySatisfy(entry -> {
      assertThat(entry.get("action").asText()).isEqualTo("source.created");
      assertThat(entry.get("detail").get("type").asText()).isEqualTo("android");
    });
    String everything = log.toString();
    assertThat(everything).doesNotContain("first-secret-4711").doesNotContain("rotated-secret-0815")
        .doesNotContain(created.get("token").asText());
  }

  @Test
  void recordsAnAgentKeyChangeAsASecretChange() {
    app.admin("POST", "/admin/v1/sources",
        Map.of("name", "bank-audit", "type", "smshub", "agentUrl", "http://127.0.0.1:1/smshub", "agentKey", "agent-key-1"));
    app.admin("PATCH", "/admin/v1/sources/bank-audit", Map.of("agentKey", "agent-key-2"));

    JsonNode secretChange = entries("?action=source.secret_changed").get(0);
    assertThat(secretChange.get("subject").asText()).isEqualTo("source:bank-audit");
    assertThat(secretChange.get("detail").get("changed").get(0).asText()).isEqualTo("agentKey");
    assertThat(entries("?limit=200").toString()).doesNotContain("agent-key-1").doesNotContain("agent-key-2");
  }

  @Test
  void recordsKeysIssuedAndRevokedByTheirIdNeverTheKey() {
    TestApp.Customer customer = app.sandboxCustomer();
    JsonNode issued = app.admin("POST", "/admin/v1/customers/" + customer.id() + "/keys", Map.of("mode", "live", "label", "ci"));
    String keyId = issued.get("keyId").asText();
    app.admin("DELETE", "/admin/v1/keys/" + keyId, null);

    List<JsonNode> keyEvents = entries("?limit=2").stream().filter(e -> e.get("subject").asText().equals("key:" + keyId)).toList();
    assertThat(keyEvents).extracting(e -> e.get("action").asText()).containsExactly("key.revoked", "key.created");
    JsonNode detail = keyEvents.get(1).get("detail");
    assertThat(detail.get("customerId").asLong()).isEqualTo(customer.id());
    assertThat(detail.get("mode").asText()).isEqualTo("live");
    assertThat(detail.get("label").asText()).isEqualTo("ci");
    assertThat(entries("?limit=200").toString()).doesNotContain(issued.get("key").asText())
        .doesNotContain(customer.key());
  }

  @Test
  void pagesNewestFirstAndFiltersByAction() {
    app.setPrice("wa", "US", "0.70");
    app.setPrice("tg", "GB", "0.40");

    JsonNode first = page("?limit=1");
    JsonNode second = page("?limit=1&before=" + first.get("nextBefore").asLong());
    assertThat(first.at("/items/0/action").asText()).isEqualTo("price.set");
    assertThat(first.at("/items/0/subject").asText()).isEqualTo("price:tg/GB/any");
    assertThat(second.at("/items/0/subject").asText()).isEqualTo("price:wa/US/any");
    assertThat(second.at("/items/0/id").asLong()).isLessThan(first.at("/items/0/id").asLong());
    List<JsonNode> all = entries("?limit=200");
    assertThat(all).extracting(e -> e.get("id").asLong()).isSortedAccordingTo((a, b) -> Long.compare(b, a));
    assertThat(entries("?action=price.set&limit=200")).isNotEmpty()
        .allSatisfy(entry -> assertThat(entry.get("action").asText()).isEqualTo("price.set"));
    assertThat(page("?limit=200").get("nextBefore").isNull()).isTrue();

    assertProblem(http.get("/admin/v1/audit?action=everything", admin), 400, "BAD_REQUEST");
    assertProblem(http.get("/admin/v1/audit?limit=201", admin), 400, "BAD_REQUEST");
    assertProblem(http.get("/admin/v1/audit"), 401, "BAD_KEY");
  }

  @Test
  void theNodesOwnFirstStartIsRecordedAsTheSystem() {
    List<JsonNode> firstStart = entries("?action=customer.created&limit=200").stream()
        .filter(entry -> entry.get("actor").asText().equals("system")).toList();

    assertThat(firstStart).hasSize(1);
    assertThat(firstStart.get(0).get("detail").get("name").asText()).isEqualTo("Sandbox");
    assertThat(firstStart.get(0).get("clientAddress").isNull()).isTrue();
  }

  private static JsonNode page(String query) {
    RawHttp.Reply reply = http.get("/admin/v1/audit" + query, admin);
    assertThat(reply.status()).as(reply.body()).isEqualTo(200);
    return reply.json();
  }

  private static List<JsonNode> entries(String query) {
    List<JsonNode> items = new ArrayList<>();
    page(query).get("items").forEach(items::add);
    return items;
  }
}
