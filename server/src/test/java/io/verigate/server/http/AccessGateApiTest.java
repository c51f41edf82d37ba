package io.verigate.server.http;

import static io.verigate.server.http.Refusals.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.verigate.server.testing.MutableClock;
import io.verigate.server.testing.TestApp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The one access gate, seen from every dialect: scopes, allowlists, revocation, expiry and rotation refuse in the
 * dialect's own words, and a customer manages its own keys without ever getting a stronger one.
 */
class AccessGateApiTest {
  private static final Instant START = Instant.parse("2026-12-07T10:00:00Z");
  private static final MutableClock clock = new MutableClock(START);
  private static TestApp node;
  private static RawHttp http;

  @BeforeAll
  static void start() {
    // The node believes X-Forwarded-For only from loopback, where the test's requests come from.
    node = TestApp.start(false, Map.of("trusted-proxies", "127.0.0.1/32, ::1"), clock);
    http = new RawHttp(node.baseUrl());
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  /** A test-mode key of a new customer, issued by the operator with the given extra fields. */
  private static String key(Map<String, Object> fields) {
    long customer = node.admin("POST", "/admin/v1/customers", Map.of("name", "gate " + System.nanoTime())).get("id").asLong();
    return issue(customer, fields).get("key").asText();
  }

  private static JsonNode issue(long customer, Map<String, Object> fields) {
    Map<String, Object> body = new java.util.HashMap<>(fields);
    body.putIfAbsent("mode", "test");
    return node.admin("POST", "/admin/v1/customers/" + customer + "/keys", body);
  }

  /** Every dialect's purchase and balance calls with one key, asserting each is refused in that dialect's words. */
  private static void assertRefusedEverywhere(String key, String restCode, String forwardedFor) {
    String[] headers = forwardedFor == null ? new String[] {"x-api-key", key}
        : new String[] {"x-api-key", key, "X-Forwarded-For", forwardedFor};
    String[] forwarded = forwardedFor == null ? new String[0] : new String[] {"X-Forwarded-For", forwardedFor};

    assertProblem(http.post("/api/v1/activations", "{\"service\":\"wa\",\"country\":\"us\"}", headers),
        restCode.equals("BAD_KEY") ? 401 : 403, restCode);

    RawHttp.Reply quick = http.get("/number?key=" + key + "&service=wa&country=us", forwarded);
    assertThat(quick.status()).isEqualTo(restCode.equals("BAD_KEY") ? 401 : 403);
    assertThat(quick.text("error")).isEqualTo(restCode);

    RawHttp.Reply legacy = http.get("/stubs/handler_api.php?api_key=" + key + "&action=getNumber&service=wa&country=187",
        forwarded);
    assertThat(legacy.status()).isEqualTo(200);
    assertThat(legacy.body()).isEqualTo("BAD_KEY");

    RawHttp.Reply fiveSim = http.get("/v1/user/buy/activation/usa/any/whatsapp",
        forwardedFor == null ? new String[] {"Authorization", "Bearer " + key}
            : new String[] {"Authorization", "Bearer " + key, "X-Forwarded-For", forwardedFor});
    assertThat(fiveSim.status()).isEqualTo(401);
  }

  private static void assertBuysEverywhere(String key, String forwardedFor) {
    String[] forwarded = forwardedFor == null ? new String[0] : new String[] {"X-Forwarded-For", forwardedFor};
    List<String> headers = new ArrayList<>(List.of("x-api-key", key));
    headers.addAll(List.of(forwarded));
    RawHttp.Reply rest = http.post("/api/v1/activations", "{\"service\":\"wa\",\"country\":\"us\"}",
        headers.toArray(String[]::new));
    assertThat(rest.status()).as(rest.body()).isEqualTo(201);
    assertThat(http.get("/number?key=" + key + "&service=wa&country=us", forwarded).status()).isEqualTo(200);
    assertThat(http.get("/stubs/handler_api.php?api_key=" + key + "&action=getNumber&service=wa&country=187", forwarded)
        .body()).startsWith("ACCESS_NUMBER:");
    List<String> fiveSimHeaders = new ArrayList<>(List.of("Authorization", "Bearer " + key));
    fiveSimHeaders.addAll(List.of(forwarded));
    assertThat(http.get("/v1/user/buy/activation/usa/any/whatsapp", fiveSimHeaders.toArray(String[]::new)).status())
        .isEqualTo(200);
  }

  @Test
  void aReadOnlyKeyReadsButCannotBuyInAnyDialect() {
    String key = key(Map.of("scopes", List.of("read")));

    assertRefusedEverywhere(key, "SCOPE_REQUIRED", null);
    assertThat(http.get("/api/v1/wallet/balance", "x-api-key", key).status()).isEqualTo(200);
    assertThat(http.get("/stubs/handler_api.php?api_key=" + key + "&action=getBalance").body()).startsWith("ACCESS_BALANCE:");
    assertThat(http.get("/v1/user/profile", "Authorization", "Bearer " + key).status()).isEqualTo(200);
    assertThat(http.get("/balance?key=" + key).status()).isEqualTo(200);
  }

  @Test
  void aBuyOnlyKeyCannotReadBalances() {
    String key = key(Map.of("scopes", List.of("buy")));

    assertProblem(http.get("/api/v1/wallet/balance", "x-api-key", key), 403, "SCOPE_REQUIRED");
    assertThat(http.get("/stubs/handler_api.php?api_key=" + key + "&action=getBalance").body()).isEqualTo("BAD_KEY");
    assertBuysEverywhere(key, null);
  }

  @Test
  void aKeyIsRefusedOutsideItsAllowlistAndAdmittedInside() {
    String key = key(Map.of("allowedIps", List.of("203.0.113.0/24", "2001:db8::/32")));

    assertRefusedEverywhere(key, "ADDRESS_NOT_ALLOWED", null);
    assertRefusedEverywhere(key, "ADDRESS_NOT_ALLOWED", "198.51.100.7");
    assertBuysEverywhere(key, "203.0.113.9");
    assertBuysEverywhere(key, "2001:db8::42");
  }

  @Test
  void forwardedForIsIgnoredUnlessThePeerIsATrustedProxy() {
    try (TestApp direct = TestApp.start(Map.of())) {
      RawHttp directHttp = new RawHttp(direct.baseUrl());
      long customer = direct.admin("POST", "/admin/v1/customers", Map.of("name", "direct")).get("id").asLong();
      String key = direct.admin("POST", "/admin/v1/customers/" + customer + "/keys",
          Map.of("mode", "test", "allowedIps", List.of("203.0.113.0/24"))).get("key").asText();

      assertProblem(directHttp.get("/api/v1/wallet/balance", "x-api-key", key, "X-Forwarded-For", "203.0.113.9"),
          403, "ADDRESS_NOT_ALLOWED");
    }
  }

  @Test
  void aRevokedKeyIsRefusedInEveryDialect() {
    long customer = node.admin("POST", "/admin/v1/customers", Map.of("name", "revoked " + System.nanoTime())).get("id").asLong();
    JsonNode issued = issue(customer, Map.of());
    String key = issued.get("key").asText();
    assertBuysEverywhere(key, null);

    node.admin("DELETE", "/admin/v1/keys/" + issued.get("keyId").asText(), null);

    assertRefusedEverywhere(key, "BAD_KEY", null);
  }

  @Test
  void anExpiredKeyIsRefusedFromItsExpiryOn() {
    String key = key(Map.of("expiresAt", clock.instant().plus(Duration.ofHours(1)).toString()));
    assertBuysEverywhere(key, null);

    clock.advance(Duration.ofHours(1));

    assertRefusedEverywhere(key, "BAD_KEY", null);
    assertThat(http.get("/api/v1/wallet/balance", "x-api-key", key).text("detail")).contains("expired");
  }

  @Test
  void aRotatedKeyWorksThroughItsOverlapAndNotAfter() {
    String old = key(Map.of("scopes", List.of("read", "buy", "keys"), "label", "deploy"));
    String oldId = http.get("/api/v1/keys", "x-api-key", old).json().get("items").get(0).get("keyId").asText();

    RawHttp.Reply rotated = http.post("/api/v1/keys/" + oldId + "/rotate", "{\"overlapSeconds\":600}", "x-api-key", old);

    assertThat(rotated.status()).as(rotated.body()).isEqualTo(201);
    assertThat(rotated.header("Cache-Control")).isEqualTo("no-store");
    String fresh = rotated.text("key");
    assertThat(rotated.text("label")).isEqualTo("deploy");
    assertBuysEverywhere(old, null);
    assertBuysEverywhere(fresh, null);

    clock.advance(Duration.ofSeconds(600));

    assertRefusedEverywhere(old, "BAD_KEY", null);
    assertBuysEverywhere(fresh, null);
    JsonNode listed = http.get("/api/v1/keys", "x-api-key", fresh).json().get("items");
    assertThat(listed.get(0).get("state").asText()).isEqualTo("EXPIRED");
    assertThat(listed.get(0).get("replacedBy").asText()).isEqualTo(rotated.text("keyId"));
  }

  @Test
  void customersManageTheirOwnKeysButNeverMintAStrongerOne() {
    String manager = key(Map.of("scopes", List.of("read", "keys")));

    RawHttp.Reply created = http.post("/api/v1/keys", "{\"label\":\"ci\",\"scopes\":[\"read\"],\"allowedIps\":[\"10.0.0.0/8\"]}",
        "x-api-key", manager);
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    assertThat(created.header("Cache-Control")).isEqualTo("no-store");
    assertThat(created.text("key")).startsWith("vg_test_");
    assertThat(created.json().get("allowedIps").get(0).asText()).isEqualTo("10.0.0.0/8");

    assertProblem(http.post("/api/v1/keys", "{\"scopes\":[\"buy\"]}", "x-api-key", manager), 403, "SCOPE_REQUIRED");
    assertProblem(http.post("/api/v1/keys", "{\"mode\":\"live\"}", "x-api-key", manager), 403, "FORBIDDEN");
    assertProblem(http.post("/api/v1/keys", "{\"allowedIps\":[\"example.com\"]}", "x-api-key", manager), 400, "BAD_REQUEST");

    String readOnly = created.text("key");
    assertProblem(http.get("/api/v1/keys", "x-api-key", readOnly, "X-Forwarded-For", "10.1.2.3"), 403, "SCOPE_REQUIRED");

    RawHttp.Reply listed = http.get("/api/v1/keys", "x-api-key", manager);
    assertThat(listed.body()).doesNotContain(readOnly).doesNotContain("secret");
    assertThat(listed.json().get("items")).hasSize(2);

    RawHttp.Reply revoked = http.post("/api/v1/keys/" + created.text("keyId") + "/revoke", "", "x-api-key", manager);
    assertThat(revoked.text("state")).isEqualTo("REVOKED");
    assertThat(http.get("/api/v1/wallet/balance", "x-api-key", readOnly).status()).isEqualTo(401);
  }

  @Test
  void everyKeyChangeIsAuditedWithItsActorAndNeverItsSecret() {
    String manager = key(Map.of());
    RawHttp.Reply created = http.post("/api/v1/keys", "{\"label\":\"audited\"}", "x-api-key", manager, "X-Forwarded-For", "192.0.2.9");
    String keyId = created.text("keyId");
    RawHttp.Reply rotated = http.post("/api/v1/keys/" + keyId + "/rotate", "", "x-api-key", manager);
    http.post("/api/v1/keys/" + rotated.text("keyId") + "/revoke", "", "x-api-key", manager);

    JsonNode audit = node.admin("GET", "/admin/v1/audit?limit=200", null);
    String log = audit.toString();
    assertThat(log).doesNotContain(created.text("key")).doesNotContain(rotated.text("key")).doesNotContain(manager);
    List<JsonNode> mine = new ArrayList<>();
    audit.get("items").forEach(entry -> {
      if (entry.get("subject").asText().equals("key:" + keyId) || entry.get("subject").asText().equals("key:" + rotated.text("keyId"))) {
        mine.add(entry);
      }
    });
    assertThat(mine).extracting(entry -> entry.get("action").asText())
        .containsExactly("key.revoked", "key.rotated", "key.created");
    assertThat(mine.get(2).get("actor").asText()).startsWith("customer:").contains("/key:");
    assertThat(mine.get(2).get("clientAddress").asText()).isEqualTo("192.0.2.9");
  }

  @Test
  void oneCustomersKeysAreInvisibleToAnother() {
    String mine = key(Map.of());
    String theirs = key(Map.of());
    String theirId = http.get("/api/v1/keys", "x-api-key", theirs).json().get("items").get(0).get("keyId").asText();

    assertProblem(http.post("/api/v1/keys/" + theirId + "/revoke", "", "x-api-key", mine), 404, "NOT_FOUND");
    assertProblem(http.post("/api/v1/keys/" + theirId + "/rotate", "", "x-api-key", mine), 404, "NOT_FOUND");
    assertThat(http.get("/api/v1/keys", "x-api-key", mine).body()).doesNotContain(theirId);
    assertThat(http.get("/api/v1/wallet/balance", "x-api-key", theirs).status()).isEqualTo(200);
  }

  @Test
  void aCustomerHoldsAtMostTheConfiguredNumberOfActiveKeys() {
    String first = key(Map.of());
    for (int i = 1; i < 10; i++) {
      assertThat(http.post("/api/v1/keys", "{}", "x-api-key", first).status()).isEqualTo(201);
    }

    assertProblem(http.post("/api/v1/keys", "{}", "x-api-key", first), 409, "KEY_LIMIT");

    String someId = http.get("/api/v1/keys", "x-api-key", first).json().get("items").get(5).get("keyId").asText();
    http.post("/api/v1/keys/" + someId + "/revoke", "", "x-api-key", first);
    assertThat(http.post("/api/v1/keys", "{}", "x-api-key", first).status()).isEqualTo(201);
  }

  @Test
  void theLastUseOfAKeyIsWrittenWithItsAddress() {
    long customer = node.admin("POST", "/admin/v1/customers", Map.of("name", "used " + System.nanoTime())).get("id").asLong();
    JsonNode issued = issue(customer, Map.of());
    assertThat(issued.get("lastUsedAt").isNull()).isTrue();

    http.get("/api/v1/wallet/balance", "x-api-key", issued.get("key").asText(), "X-Forwarded-For", "192.0.2.44");
    node.app().keys().flushUses();

    Map<String, Object> row = node.app().database().withHandle(h -> h.createQuery(
            "SELECT last_used_at, last_used_address FROM api_key WHERE key_id = :k")
        .bind("k", issued.get("keyId").asText()).mapToMap().one());
    assertThat(row.get("last_used_address")).isEqualTo("192.0.2.44");
    JsonNode listed = node.admin("GET", "/admin/v1/customers/" + customer + "/keys", null).get(0);
    assertThat(listed.get("lastUsedAddress").asText()).isEqualTo("192.0.2.44");
    assertThat(Instant.parse(listed.get("lastUsedAt").asText())).isEqualTo(clock.instant());
  }

  @Test
  void usesWithinASecondFromOneAddressAreNotedOnce() {
    long customer = node.admin("POST", "/admin/v1/customers", Map.of("name", "polled " + System.nanoTime())).get("id").asLong();
    String key = issue(customer, Map.of()).get("key").asText();
    Instant first = clock.instant();

    use(key, "192.0.2.44");
    clock.advance(Duration.ofMillis(900));
    use(key, "192.0.2.44");
    assertThat(lastUse(customer)).isEqualTo("192.0.2.44 at " + first);

    use(key, "192.0.2.44");
    clock.advance(Duration.ofMillis(100));
    use(key, "192.0.2.45");
    assertThat(lastUse(customer)).as("another address within the second").isEqualTo("192.0.2.45 at " + clock.instant());

    use(key, "192.0.2.45");
    clock.advance(Duration.ofMillis(1_001));
    use(key, "192.0.2.45");
    assertThat(lastUse(customer)).as("the same address a second later").isEqualTo("192.0.2.45 at " + clock.instant());
  }

  private void use(String key, String address) {
    http.get("/api/v1/wallet/balance", "x-api-key", key, "X-Forwarded-For", address);
  }

  private String lastUse(long customer) {
    node.app().keys().flushUses();
    JsonNode listed = node.admin("GET", "/admin/v1/customers/" + customer + "/keys", null).get(0);
    return listed.get("lastUsedAddress").asText() + " at " + Instant.parse(listed.get("lastUsedAt").asText());
  }
}
