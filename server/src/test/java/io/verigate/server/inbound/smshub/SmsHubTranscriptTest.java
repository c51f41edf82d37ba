package io.verigate.server.inbound.smshub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import io.verigate.server.account.Mode;
import io.verigate.server.http.support.Json;
import io.verigate.server.supply.ResalePath;
import io.verigate.server.supply.SupplyRequest;
import io.verigate.server.supply.SupplyRouter;
import io.verigate.server.testing.Eventually;
import io.verigate.server.testing.MutableClock;
import io.verigate.server.testing.TestApp;
import io.verigate.server.testing.TestNumbers;
import io.verigate.server.wallet.Money;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A real node as the hub of SIM-bank agents, each played by an {@link AgentEmulator} on loopback: stock polls, live
 * purchases served by GET_NUMBER, PUSH_SMS delivering codes, and FINISH_ACTIVATION after each activation ends. Every
 * test uses a country of its own, so one agent's stock never serves another test's purchase. The node's clock stands
 * still until a test moves it, so retries become due only when a test says so.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SmsHubTranscriptTest {
  private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static final AtomicInteger NEXT = new AtomicInteger();
  private static final Duration PATIENCE = Duration.ofSeconds(15);

  final MutableClock clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.MILLIS));
  /** The source name each agent was registered under. */
  private final Map<AgentEmulator, String> sources = new ConcurrentHashMap<>();
  private TestApp app;

  /** The node the transcript runs against, on {@link #clock}; the PostgreSQL run starts its own. */
  TestApp startNode(Map<String, String> overrides) {
    return TestApp.start(false, overrides, clock);
  }

  @BeforeAll
  void start() {
    app = startNode(Map.of("early-cancel-guard", "1s"));
  }

  @AfterAll
  void stop() {
    app.close();
  }

  @Test
  void stockPollsFeedTheLiveAvailability() {
    try (AgentEmulator agent = register(new AgentEmulator("stock-key"))) {
      agent.stock("ukraine", "kyivstar", "wa", 7).stock("ukraine", "lifecell", "wa", 3).stock("ukraine", "kyivstar", "tg", 2)
          .stock("atlantis", "poseidon", "wa", 50);
      String buyer = customer("1.00");

      app.app().smsHub().pollStock();

      assertThat(available(buyer, "wa", "ua")).isEqualTo(10);
      assertThat(available(buyer, "tg", "ua")).isEqualTo(2);
      JsonNode view = admin("GET", "/admin/v1/sources/" + sources.get(agent), null).get("agent");
      assertThat(view.get("url").asText()).isEqualTo(agent.url());
      assertThat(view.get("offered").asInt()).as("what the catalog knows").isEqualTo(12);
      AgentEmulator.Request poll = agent.requests("GET_SERVICES").get(0);
      assertThat(poll.body().get("key").asText()).isEqualTo("stock-key");
      assertThat(poll.userAgent()).isEqualTo(AgentClient.USER_AGENT);
      assertThat(poll.contentEncoding()).isEqualTo("gzip");
    }
  }

  @Test
  void aLivePurchaseGetsItsNumberFromTheAgentWithinTheExcludedPrefixes() {
    long excluded = mobile("KZ", 1);
    long allowed = mobile("KZ", 5001);
    String prefix = String.valueOf(excluded).substring(0, String.valueOf(excluded).length() - 3);
    try (AgentEmulator agent = register(new AgentEmulator("kz-key"))) {
      agent.stock("kazakhstan", "beeline", "wa", 2).offer(excluded).offer(allowed);
      app.app().smsHub().pollStock();
      String buyer = customer("1.00");

      JsonNode bought = call("POST", "/api/v1/activations",
          "{\"service\":\"wa\",\"country\":\"kz\",\"excludePrefixes\":[\"" + prefix + "\"]}", "x-api-key", buyer);

      assertThat(bought.get("phoneNumber").asText()).isEqualTo("+" + allowed);
      assertThat(bought.get("operator").asText()).isEqualTo("beeline");
      JsonNode asked = agent.requests("GET_NUMBER").get(0).body();
      assertThat(asked.get("country").asText()).isEqualTo("kazakhstan");
      assertThat(asked.get("operator").asText()).isEqualTo("beeline");
      assertThat(asked.get("service").asText()).isEqualTo("wa");
      assertThat(asked.get("sum").decimalValue()).isEqualByComparingTo("0.50");
      assertThat(asked.get("currency").isInt()).isTrue();
      assertThat(asked.get("currency").asInt()).isEqualTo(840);
      assertThat(asked.get("exceptionPhoneSet")).containsExactly(Json.MAPPER.valueToTree(prefix));
      assertThat(available(buyer, "wa", "kz")).as("one fewer").isEqualTo(1);
    }
  }

  @Test
  void aPushedSmsDeliversItsCodeAndARepeatedSmsIdIsStoredOnce() {
    try (AgentEmulator agent = register(new AgentEmulator("ge-key"))) {
      Bought bought = buy(agent, "georgia", "GE");
      long smsId = agent.nextSmsId();

      JsonNode first = agent.push(app.baseUrl(), smsId, bought.digits(), "WhatsApp", "Your WhatsApp code is 482913");
      JsonNode again = agent.push(app.baseUrl(), smsId, bought.digits(), "WhatsApp", "Your WhatsApp code is 482913");

      assertThat(first).isEqualTo(Json.MAPPER.valueToTree(Map.of("status", "SUCCESS")));
      assertThat(again).isEqualTo(first);
      JsonNode activation = call("GET", "/api/v1/activations/" + bought.id(), null, "x-api-key", bought.key());
      assertThat(activation.get("status").asText()).isEqualTo("RECEIVED");
      assertThat(activation.get("code").asText()).isEqualTo("482913");
      JsonNode health = admin("GET", "/admin/v1/sources/" + bought.source(), null).get("health");
      assertThat(health.get("messages").asLong()).isEqualTo(1);
      assertThat(health.get("duplicates").asLong()).isEqualTo(1);
    }
  }

  @Test
  void aPushWithAnUnknownKeyOrNoJsonIsRefusedAndStoresNothing() {
    try (AgentEmulator agent = register(new AgentEmulator("ee-key"))) {
      Bought bought = buy(agent, "estonia", "EE");

      JsonNode wrongKey = plainPush("{\"action\":\"PUSH_SMS\",\"key\":\"not-ee-key\",\"smsId\":1,\"phone\":"
          + bought.digits() + ",\"phoneFrom\":\"WhatsApp\",\"text\":\"code 111222\"}");
      JsonNode noJson = AgentEmulator.post(app.baseUrl(), Gzip.compress("[1,2".getBytes(StandardCharsets.UTF_8)), true);
      JsonNode negativeId = plainPush("{\"action\":\"PUSH_SMS\",\"key\":\"ee-key\",\"smsId\":-4,\"phone\":\""
          + bought.digits() + "\",\"phoneFrom\":\"WhatsApp\",\"text\":\"code 111222\"}");

      assertThat(wrongKey.get("status").asText()).isEqualTo("ERROR");
      assertThat(wrongKey.get("error").asText()).contains("key");
      assertThat(noJson.get("status").asText()).isEqualTo("ERROR");
      assertThat(negativeId.get("status").asText()).isEqualTo("ERROR");
      assertThat(negativeId.get("error").asText()).contains("smsId");
      JsonNode activation = call("GET", "/api/v1/activations/" + bought.id(), null, "x-api-key", bought.key());
      assertThat(activation.get("status").asText()).isEqualTo("WAITING");
      JsonNode health = admin("GET", "/admin/v1/sources/" + bought.source(), null).get("health");
      assertThat(health.get("messages").asLong()).isZero();
      assertThat(health.get("rejected").asLong()).isEqualTo(1);
    }
  }

  @Test
  void finishingTellsTheAgentItSoldTheNumberOnce() {
    try (AgentEmulator agent = register(new AgentEmulator("pl-key"))) {
      Bought bought = buy(agent, "poland", "PL");
      agent.push(app.baseUrl(), agent.nextSmsId(), bought.digits(), "WhatsApp", "WhatsApp code 731-904");

      call("POST", "/api/v1/activations/" + bought.id() + "/finish", "{}", "x-api-key", bought.key());

      List<AgentEmulator.Request> finishes = eventually(() -> agent.requests("FINISH_ACTIVATION"), 1);
      assertThat(finishes.get(0).body().get("activationId").asLong()).isEqualTo(bought.agentActivationId());
      assertThat(finishes.get(0).body().get("status").asInt()).isEqualTo(3);
      assertThat(finishes.get(0).body().get("key").asText()).isEqualTo("pl-key");
      agentView(bought.source(), view -> view.get("finishesPending").asInt() == 0);
      clock.advance(Duration.ofHours(1));
      app.app().outbox().runDue();
      assertThat(agent.requests("FINISH_ACTIVATION")).as("nothing is sent again after SUCCESS").hasSize(1);
    }
  }

  @ParameterizedTest
  @CsvSource({"cancel, brazil, BR, 4", "ban, indonesia, ID, 1"})
  void endingWithoutASaleTellsTheAgentWhetherItMayOfferTheNumberAgain(String action, String country, String iso,
      int status) {
    try (AgentEmulator agent = register(new AgentEmulator(iso + "-key"))) {
      Bought bought = buy(agent, country, iso);
      clock.advance(Duration.ofSeconds(2));

      call("POST", "/api/v1/activations/" + bought.id() + "/" + action, "{}", "x-api-key", bought.key());

      JsonNode finish = eventually(() -> agent.requests("FINISH_ACTIVATION"), 1).get(0).body();
      assertThat(finish.get("activationId").asLong()).isEqualTo(bought.agentActivationId());
      assertThat(finish.get("status").asInt()).isEqualTo(status);
    }
  }

  @Test
  void aFinishThatMeetsAnAgentOutageIsSentAgainFromTheOutboxLater() {
    try (AgentEmulator agent = register(new AgentEmulator("nl-key"))) {
      Bought bought = buy(agent, "netherlands", "NL");
      agent.push(app.baseUrl(), agent.nextSmsId(), bought.digits(), "WhatsApp", "Your WhatsApp code 550122");
      agent.failFinishes(1);

      call("POST", "/api/v1/activations/" + bought.id() + "/finish", "{}", "x-api-key", bought.key());
      JsonNode waiting = agentView(bought.source(), view -> !view.get("lastFinishError").isNull());
      assertThat(waiting.get("finishesPending").asInt()).isEqualTo(1);
      assertThat(waiting.get("lastFinishError").asText()).contains("503");
      app.app().outbox().runDue();
      assertThat(agent.requests("FINISH_ACTIVATION")).as("not due before its backoff").hasSize(1);

      clock.advance(FinishRelay.FIRST_RETRY.multipliedBy(2)); // past its ±10 %
      app.app().outbox().runDue();

      List<AgentEmulator.Request> finishes = eventually(() -> agent.requests("FINISH_ACTIVATION"), 2);
      assertThat(finishes).extracting(r -> r.body().get("activationId").asLong(), r -> r.body().get("status").asInt())
          .containsOnly(tuple(bought.agentActivationId(), 3));
      agentView(bought.source(), view -> view.get("finishesPending").asInt() == 0 && view.get("lastFinishError").isNull());
      clock.advance(FinishRelay.LONGEST_RETRY);
      app.app().outbox().runDue();
      assertThat(agent.requests("FINISH_ACTIVATION")).hasSize(2);
    }
  }

  /**
   * Agents are asked before the purchase transaction opens: more purchases waiting on a slow agent than the pool has
   * connections still leave a purchase from the operator's own stock served at once, not after the agents' budget.
   */
  @Test
  void purchasesWaitingOnASlowAgentHoldNoPooledConnection() throws Exception {
    int waiting = app.app().database().poolSize() + 2;
    TestApp.Source gateway = app.createSource();
    app.stock(gateway.name(), "IE", null, 1);
    try (AgentEmulator slow = register(new AgentEmulator("stalled-key"))) {
      slow.stock("austria", "a1", "wa", waiting).holdNumbers();
      app.app().smsHub().pollStock();
      String agentBuyer = customer("100.00");
      String stockBuyer = customer("1.00");
      ExecutorService buyers = Executors.newFixedThreadPool(waiting);
      try {
        for (int i = 0; i < waiting; i++) {
          buyers.submit(() -> send("POST", "/api/v1/activations", "{\"service\":\"wa\",\"country\":\"at\"}",
              "x-api-key", agentBuyer));
        }
        eventually(() -> slow.requests("GET_NUMBER"), waiting);

        long started = System.nanoTime();
        JsonNode bought = call("POST", "/api/v1/activations", "{\"service\":\"wa\",\"country\":\"ie\"}",
            "x-api-key", stockBuyer);
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertThat(bought.get("status").asText()).isEqualTo("WAITING");
        assertThat(took).as("own stock served while %d purchases wait on an agent", waiting)
            .isLessThan(AgentSupply.ANSWER_BUDGET.dividedBy(2));
      } finally {
        slow.answerHeldNumbers();
        buyers.shutdown();
        assertThat(buyers.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
      }
    }
  }

  @Test
  void anAgentTooSlowForTheBudgetIsPassedOverAndItsLateNumberGivenBack() {
    long slowNumber = mobile("FI", 1);
    long fastNumber = mobile("FI", 2);
    try (AgentEmulator slow = register(new AgentEmulator("slow-key"));
        AgentEmulator fast = register(new AgentEmulator("fast-key"))) {
      slow.stock("finland", "elisa", "wa", 9).offer(slowNumber).holdNumbers();
      fast.stock("finland", "dna", "wa", 1).offer(fastNumber);
      app.app().smsHub().pollStock();
      String buyer = customer("2.00");

      JsonNode bought = call("POST", "/api/v1/activations", "{\"service\":\"wa\",\"country\":\"fi\"}", "x-api-key", buyer);
      slow.answerHeldNumbers();

      assertThat(bought.get("phoneNumber").asText()).isEqualTo("+" + fastNumber);
      JsonNode givenBack = eventually(() -> slow.requests("FINISH_ACTIVATION"), 1).get(0).body();
      assertThat(givenBack.get("status").asInt()).isEqualTo(4);
      assertThat(givenBack.get("activationId").asLong()).isEqualTo(slow.activationIdOf(slowNumber));
    }
  }

  @Test
  void aNumberWithAnExcludedPrefixIsRefusedAndGivenBack() {
    long number = mobile("SE", 1);
    String prefix = String.valueOf(number).substring(0, 5);
    try (AgentEmulator agent = register(new AgentEmulator("se-key"))) {
      agent.stock("sweden", "telia", "wa", 1).offer(number).ignoreExcludedPrefixes();
      app.app().smsHub().pollStock();
      String buyer = customer("1.00");

      JsonNode refused = send("POST", "/api/v1/activations",
          "{\"service\":\"wa\",\"country\":\"se\",\"excludePrefixes\":[\"" + prefix + "\"]}", "x-api-key", buyer);

      assertThat(refused.get("code").asText()).isEqualTo("NO_NUMBERS");
      JsonNode givenBack = eventually(() -> agent.requests("FINISH_ACTIVATION"), 1).get(0).body();
      assertThat(givenBack.get("status").asInt()).isEqualTo(4);
      assertThat(givenBack.get("activationId").asLong()).isEqualTo(agent.activationIdOf(number));
    }
  }

  @Test
  void aCustomerWhoCannotPayIsRefusedWithoutAskingTheAgent() {
    try (AgentEmulator agent = register(new AgentEmulator("cl-key"))) {
      agent.stock("chile", "entel", "wa", 5).offer(mobile("CL", 1));
      app.app().smsHub().pollStock();
      String broke = customer("0");

      JsonNode refused = send("POST", "/api/v1/activations", "{\"service\":\"wa\",\"country\":\"cl\"}", "x-api-key", broke);

      assertThat(refused.get("code").asText()).isEqualTo("NO_BALANCE");
      assertThat(agent.requests("GET_NUMBER")).isEmpty();
    }
  }

  @Test
  void aNumberWhosePurchaseRollsBackIsGivenBackAsCancelled() {
    try (AgentEmulator agent = register(new AgentEmulator("pt-key"))) {
      long number = mobile("PT", 1);
      agent.stock("portugal", "meo", "wa", 1).offer(number);
      app.app().smsHub().pollStock();
      long customerId = admin("POST", "/admin/v1/customers", "{\"name\":\"rollback\"}").get("id").asLong();
      admin("POST", "/admin/v1/customers/" + customerId + "/wallet/credit", "{\"amount\":\"1.00\"}");
      // Only the agents supply this router, so the number can come from nowhere else.
      SupplyRouter agentsOnly = new SupplyRouter(app.app().database(), app.app().wallets(), (h, r) -> Optional.empty(),
          List.of(app.app().smsHub().supply()), (h, r) -> Optional.empty());
      SupplyRequest wanted = new SupplyRequest(customerId, Mode.LIVE, "wa", "PT", "any", List.of(), Money.parse("0.50"),
          ResalePath.NONE);

      assertThatThrownBy(() -> agentsOnly.purchase(wanted, (h, taken) -> {
        throw new IllegalStateException("the purchase fails after the number was taken");
      })).isInstanceOf(IllegalStateException.class);

      JsonNode givenBack = eventually(() -> agent.requests("FINISH_ACTIVATION"), 1).get(0).body();
      assertThat(givenBack.get("status").asInt()).isEqualTo(4);
      assertThat(givenBack.get("activationId").asLong()).isEqualTo(agent.activationIdOf(number));
    }
  }

  @Test
  void registeringAnAgentNeedsItsUrlAndAUniqueName() {
    String name = "bank" + NEXT.incrementAndGet();
    JsonNode created = admin("POST", "/admin/v1/sources",
        "{\"name\":\"" + name + "\",\"type\":\"smshub\",\"agentUrl\":\"https://127.0.0.1:9/smshub\"}");

    assertThat(created.get("type").asText()).isEqualTo("smshub");
    assertThat(created.get("agentKey").asText()).as("generated").hasSize(32);
    assertThat(created.has("token")).isFalse();
    String path = "/admin/v1/sources";
    assertThat(adminRefusal("POST", path,
        "{\"name\":\"" + name + "\",\"type\":\"smshub\",\"agentUrl\":\"https://b.example\"}")).isEqualTo("CONFLICT");
    assertThat(adminRefusal("POST", path, "{\"name\":\"nourl" + NEXT.incrementAndGet() + "\",\"type\":\"smshub\"}"))
        .isEqualTo("BAD_REQUEST");
    assertThat(adminRefusal("POST", path, "{\"name\":\"ftp" + NEXT.incrementAndGet() + "\",\"type\":\"smshub\","
        + "\"agentUrl\":\"ftp://b.example\"}")).isEqualTo("BAD_REQUEST");
  }

  @Test
  void anAgentMovedToANewUrlAndKeyIsPolledAskedAndToldThereFromThenOn() {
    long nextNumber = mobile("RO", 2);
    try (AgentEmulator before = register(new AgentEmulator("ro-key"));
        AgentEmulator after = new AgentEmulator("ro-new-key")) {
      Bought bought = buy(before, "romania", "RO");
      after.stock("romania", "orange", "wa", 1).offer(nextNumber);
      String source = sources.get(before);

      JsonNode view = admin("PATCH", "/admin/v1/sources/" + source,
          "{\"agentUrl\":\"" + after.url() + "\",\"agentKey\":\"ro-new-key\"}");
      // Polled at the new URL at once, not at the next of the polls every 15 s.
      Eventually.within(SmsHub.POLL_INTERVAL.dividedBy(3), "a poll at the new URL",
          () -> admin("GET", "/admin/v1/sources/" + source, null).get("agent"), agent -> agent.get("offered").asInt() == 1);
      String buyer = customer("1.00");
      JsonNode boughtAfter = call("POST", "/api/v1/activations", "{\"service\":\"wa\",\"country\":\"ro\"}", "x-api-key",
          buyer);
      clock.advance(Duration.ofSeconds(2));
      call("POST", "/api/v1/activations/" + bought.id() + "/cancel", "{}", "x-api-key", bought.key());

      assertThat(view.at("/agent/url").asText()).isEqualTo(after.url());
      assertThat(view.toString()).as("the key is never shown again").doesNotContain("ro-new-key");
      assertThat(after.requests("GET_SERVICES")).isNotEmpty()
          .allSatisfy(poll -> assertThat(poll.body().get("key").asText()).isEqualTo("ro-new-key"));
      assertThat(boughtAfter.get("phoneNumber").asText()).isEqualTo("+" + nextNumber);
      assertThat(after.requests("GET_NUMBER")).singleElement()
          .satisfies(ask -> assertThat(ask.body().get("key").asText()).isEqualTo("ro-new-key"));
      JsonNode finish = eventually(() -> after.requests("FINISH_ACTIVATION"), 1).get(0).body();
      assertThat(finish.get("activationId").asLong()).as("bought at the old URL").isEqualTo(bought.agentActivationId());
      assertThat(finish.get("key").asText()).isEqualTo("ro-new-key");
      assertThat(before.requests("GET_NUMBER")).hasSize(1);
      assertThat(before.requests("FINISH_ACTIVATION")).isEmpty();
    }
  }

  @Test
  void anAgentChangeIsCheckedAsRegistrationIsAndARefusedOneChangesNothing() {
    try (AgentEmulator agent = register(new AgentEmulator("hr-key"))) {
      String source = sources.get(agent);
      String android = "phone" + NEXT.incrementAndGet();
      admin("POST", "/admin/v1/sources", "{\"name\":\"" + android + "\",\"type\":\"android\"}");

      String agentPath = "/admin/v1/sources/" + source;
      String androidPath = "/admin/v1/sources/" + android;
      String moved = "\"agentUrl\":\"https://bank.example/smshub\"";
      assertThat(adminRefusal("PATCH", agentPath, "{\"agentUrl\":\"ftp://bank.example/smshub\"}")).isEqualTo("BAD_REQUEST");
      assertThat(adminRefusal("PATCH", agentPath, "{\"agentKey\":\"has spaces\"}")).isEqualTo("BAD_REQUEST");
      assertThat(adminRefusal("PATCH", agentPath, "{" + moved + ",\"signingKey\":\"k\"}")).isEqualTo("BAD_REQUEST");
      assertThat(adminRefusal("PATCH", androidPath, "{" + moved + "}")).isEqualTo("BAD_REQUEST");
      assertThat(adminRefusal("PATCH", androidPath, "{\"agentKey\":\"new-key\",\"signingKey\":\"rotated\"}"))
          .isEqualTo("BAD_REQUEST");
      assertThat(adminRefusal("PATCH", "/admin/v1/sources/nosuch" + NEXT.incrementAndGet(), "{" + moved + "}"))
          .isEqualTo("NOT_FOUND");

      assertThat(admin("GET", "/admin/v1/sources/" + source, null).at("/agent/url").asText()).isEqualTo(agent.url());
      assertThat(app.app().numberSources().webhookSource(android, "android").orElseThrow().signingSecret())
          .isNotEqualTo("rotated");
      assertThat(agent.push(app.baseUrl(), agent.nextSmsId(), mobile("HR", 1), "WhatsApp", "code 123456")
          .get("status").asText()).as("the old key still works").isEqualTo("SUCCESS");
    }
  }

  // --- the operator, the customer and the agent around the node -------------------------------------------------

  /** A live purchase served by the agent: the activation, its buyer's key, and the agent's side of it. */
  private record Bought(int id, String key, long digits, long agentActivationId, String source) {}

  private Bought buy(AgentEmulator agent, String agentCountry, String iso) {
    agent.stock(agentCountry, "any", "wa", 1).offer(mobile(iso, 1));
    app.app().smsHub().pollStock();
    String key = customer("1.00");
    JsonNode bought = call("POST", "/api/v1/activations", "{\"service\":\"wa\",\"country\":\"" + iso + "\"}",
        "x-api-key", key);
    long digits = Long.parseLong(bought.get("phoneNumber").asText().substring(1));
    return new Bought(bought.get("id").asInt(), key, digits, agent.activationIdOf(digits), sources.get(agent));
  }

  private AgentEmulator register(AgentEmulator agent) {
    String name = "agent" + NEXT.incrementAndGet();
    admin("POST", "/admin/v1/sources", "{\"name\":\"" + name + "\",\"type\":\"smshub\",\"agentUrl\":\"" + agent.url()
        + "\",\"agentKey\":\"" + agent.key() + "\"}");
    sources.put(agent, name);
    return agent;
  }

  /** A new customer's live key, its wallet credited with {@code credit} ("0" leaves it empty). */
  private String customer(String credit) {
    return app.liveCustomer(credit).key();
  }

  /** A PUSH_SMS body as given, uncompressed, such as a real agent would not send. */
  private JsonNode plainPush(String body) {
    return AgentEmulator.post(app.baseUrl(), body.getBytes(StandardCharsets.UTF_8), false);
  }

  private int available(String key, String service, String country) {
    JsonNode prices = call("GET", "/api/v1/prices?service=" + service + "&country=" + country, null, "x-api-key", key);
    return prices.get(0).get("available").asInt();
  }

  /** The country's example mobile number with its last four digits replaced, as digits with country code. */
  private static long mobile(String iso, int suffix) {
    return Long.parseLong(TestNumbers.withLastFour(iso, suffix).substring(1));
  }

  private JsonNode admin(String method, String path, String body) {
    return call(method, path, body, "Authorization", "Bearer " + app.adminToken());
  }

  /** The code of the problem an admin request was refused with. */
  private String adminRefusal(String method, String path, String body) {
    return send(method, path, body, "Authorization", "Bearer " + app.adminToken()).get("code").asText();
  }

  /** A request that must succeed. */
  private JsonNode call(String method, String path, String body, String header, String value) {
    HttpResponse<String> reply = exchange(method, path, body, header, value);
    assertThat(reply.statusCode()).as("%s %s: %s", method, path, reply.body()).isBetween(200, 299);
    return json(reply.body());
  }

  /** A request that may be refused; never with a server error. */
  private JsonNode send(String method, String path, String body, String header, String value) {
    HttpResponse<String> reply = exchange(method, path, body, header, value);
    assertThat(reply.statusCode()).as("%s %s: %s", method, path, reply.body()).isLessThan(500);
    return json(reply.body());
  }

  private HttpResponse<String> exchange(String method, String path, String body, String header, String value) {
    HttpRequest request = HttpRequest.newBuilder(URI.create(app.baseUrl() + path)).timeout(Duration.ofSeconds(20))
        .header(header, value).header("Content-Type", "application/json")
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
        .build();
    try {
      return CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static JsonNode json(String body) {
    try {
      return Json.MAPPER.readTree(body);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Waits until the agent has received at least {@code count} such requests. */
  private static List<AgentEmulator.Request> eventually(Supplier<List<AgentEmulator.Request>> requests, int count) {
    return Eventually.within(PATIENCE, "the agent to receive " + count + " request(s)", requests,
        seen -> seen.size() >= count);
  }

  /** The agent as the operator sees it once the probe says so. */
  private JsonNode agentView(String source, Predicate<JsonNode> until) {
    return Eventually.within(PATIENCE, "agent of " + source,
        () -> admin("GET", "/admin/v1/sources/" + source, null).get("agent"), until);
  }
}
