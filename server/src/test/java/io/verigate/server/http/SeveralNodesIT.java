package io.verigate.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.verigate.server.testing.Eventually;
import io.verigate.server.testing.TestApp;
import io.verigate.server.testing.TestDatabases;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two nodes on one PostgreSQL database, as behind a load balancer: a customer buys on one and polls the other. Each
 * node keeps activations and key lookups in memory, so these tests show that a change made on one node reaches the
 * other's next reads through the node events, well before a cached copy would age out (30 s for activations, 5 s for
 * keys), and also after the other node's listening connection was cut.
 */
class SeveralNodesIT {
  /** Far below the age at which a cached copy would be dropped anyway, so only the node event can explain a pass. */
  private static final Duration PROPAGATION = Duration.ofSeconds(3);

  private static TestApp first;
  private static TestApp second;
  private static RawHttp onFirst;
  private static RawHttp onSecond;

  @BeforeAll
  static void startTwoNodes() {
    Map<String, String> settings = Map.of("sandbox-delivery-delay", "2s", "early-cancel-guard", "0s");
    first = TestApp.startOnPostgres(settings);
    second = first.anotherNode(settings);
    onFirst = new RawHttp(first.baseUrl());
    onSecond = new RawHttp(second.baseUrl());
  }

  @AfterAll
  static void stopNodes() {
    second.close();
    first.close();
  }

  @Test
  void aCodeDeliveredOnOneNodeShowsInTheOtherNodesNextPoll() {
    String id = buy("any");
    assertThat(poll(id).text("status")).as("read, and so kept, by the second node").isEqualTo("WAITING");

    // The sandbox delivers the code on the node that sold the number, two seconds after the purchase.
    RawHttp.Reply received = Eventually.within(Duration.ofSeconds(10), "the code, read on the second node",
        () -> poll(id), reply -> reply.text("code") != null);

    assertThat(received.text("status")).isEqualTo("RECEIVED");
  }

  @Test
  void aCancelOnOneNodeShowsOnTheOther() {
    String id = buy("nocode");
    assertThat(poll(id).text("status")).isEqualTo("WAITING");

    assertThat(onFirst.post("/api/v1/activations/" + id + "/cancel", "", key()).status()).isEqualTo(200);

    assertThat(Eventually.within(PROPAGATION, "the cancel, read on the second node", () -> poll(id),
        reply -> !"WAITING".equals(reply.text("status"))).text("status")).isEqualTo("CANCELED");
  }

  @Test
  void aLongPollOnOneNodeIsWokenByACancelOnTheOther() {
    String id = buy("nocode");

    long started = System.nanoTime();
    CompletableFuture<RawHttp.Reply> poll = CompletableFuture.supplyAsync(
        () -> onSecond.get("/api/v1/activations/" + id + "?wait=20", key()));
    Eventually.eventually("the long poll is parked on the second node", () -> second.app().activations().waiting() > 0);
    onFirst.post("/api/v1/activations/" + id + "/cancel", "", key());

    assertThat(poll.join().text("status")).isEqualTo("CANCELED");
    assertThat(Duration.ofNanos(System.nanoTime() - started)).as("woken, not timed out").isLessThan(PROPAGATION.plusSeconds(5));
  }

  @Test
  void anSmsDeliveredOnOneNodeShowsInTheOtherNodesNext5simCheck() {
    String id = buy("nocode");
    String check = "/v1/user/check/" + id;
    String[] bearer = {"Authorization", "Bearer " + first.sandboxKey()};
    assertThat(onSecond.get(check, bearer).json().get("sms").isNull()).as("read, and so kept, by the second node")
        .isTrue();

    RawHttp.Reply delivered = onFirst.post("/api/v1/sandbox/activations/" + id + "/sms",
        "{\"from\":\"WhatsApp\",\"text\":\"Your WhatsApp code: 246-813\"}", key());
    assertThat(delivered.status()).as(delivered.body()).isEqualTo(202);

    RawHttp.Reply received = Eventually.within(PROPAGATION, "the SMS, in the second node's 5sim order",
        () -> onSecond.get(check, bearer), reply -> !reply.json().get("sms").isNull());
    assertThat(received.json().get("sms").findValuesAsText("code")).containsExactly("246813");
  }

  @Test
  void aKeyRevokedOnOneNodeIsRefusedByTheOther() {
    String admin = "Bearer " + first.adminToken();
    String customer = onFirst.post("/admin/v1/customers", "{\"name\":\"two-nodes\"}", "Authorization", admin)
        .text("id");
    RawHttp.Reply issued = onFirst.post("/admin/v1/customers/" + customer + "/keys",
        "{\"mode\":\"live\",\"label\":\"revoked\"}", "Authorization", admin);
    String[] header = {"x-api-key", issued.text("key")};
    assertThat(onSecond.get("/api/v1/wallet/balance", header).status()).as("looked up, and so kept").isEqualTo(200);

    onFirst.send("DELETE", "/admin/v1/keys/" + issued.text("keyId"), null, "Authorization", admin);

    assertThat(Eventually.within(PROPAGATION, "the revocation, on the second node",
        () -> onSecond.get("/api/v1/wallet/balance", header), reply -> reply.status() != 200).status()).isEqualTo(401);
  }

  @Test
  void aNodeWhoseListeningConnectionWasCutStillSeesChanges() {
    String id = buy("nocode");
    assertThat(poll(id).text("status")).isEqualTo("WAITING");

    int cut = TestDatabases.terminateConnectionsNamed(first.databaseUrl(), "verigate-node-events");
    onFirst.post("/api/v1/activations/" + id + "/cancel", "", key());

    assertThat(cut).as("listening connections cut, one per node").isEqualTo(2);
    assertThat(Eventually.within(PROPAGATION, "the cancel, read on the second node", () -> poll(id),
        reply -> !"WAITING".equals(reply.text("status"))).text("status")).isEqualTo("CANCELED");
  }

  @Test
  void aPriceSetThroughOneNodeIsChargedByTheOthersNextPurchase() {
    RawHttp.Reply before = buyOnSecond("de");
    assertThat(before.text("userCost")).as("the default price, now kept by the second node").isEqualTo("0.50");

    first.setPrice("wa", "DE", "0.73");

    assertThat(Eventually.within(PROPAGATION, "the new price, charged on the second node", () -> buyOnSecond("de"),
        reply -> !"0.50".equals(reply.text("userCost"))).text("userCost")).isEqualTo("0.73");
  }

  private static RawHttp.Reply buyOnSecond(String country) {
    RawHttp.Reply bought = onSecond.post("/api/v1/activations",
        "{\"serviceCode\":\"wa\",\"countries\":[\"" + country + "\"]}", key());
    assertThat(bought.status()).as(bought.body()).isEqualTo(201);
    return bought;
  }

  private static String buy(String operator) {
    RawHttp.Reply bought = onFirst.post("/api/v1/activations",
        "{\"serviceCode\":\"wa\",\"countries\":[\"us\"],\"operator\":\"" + operator + "\"}", key());
    assertThat(bought.status()).as(bought.body()).isEqualTo(201);
    return bought.text("id");
  }

  private static RawHttp.Reply poll(String id) {
    RawHttp.Reply reply = onSecond.get("/api/v1/activations/" + id, key());
    assertThat(reply.status()).as(reply.body()).isEqualTo(200);
    return reply;
  }

  private static String[] key() {
    return new String[] {"x-api-key", first.sandboxKey()};
  }
}
