package io.verigate.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.verigate.server.testing.Eventually;
import io.verigate.server.testing.TestApp;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Long polls ({@code wait}) and conditional reads ({@code If-None-Match}) of an activation. The waits asked for here
 * are far longer than a change takes to arrive, so an answer well inside them shows the poll was woken by the change,
 * not released by its timeout.
 */
class LongPollApiTest {
  private static final Duration WOKEN_WITHIN = Duration.ofSeconds(8);

  private static TestApp app;
  private static RawHttp http;
  private static String[] key;

  @BeforeAll
  static void startNode() {
    app = TestApp.start(Map.of("early-cancel-guard", "0s"));
    http = new RawHttp(app.baseUrl());
    key = new String[] {"x-api-key", app.sandboxKey()};
  }

  @AfterAll
  static void stopNode() {
    app.close();
  }

  @Test
  void aLongPollAnswersAsSoonAsTheCodeArrives() {
    String id = buy();

    long started = System.nanoTime();
    CompletableFuture<RawHttp.Reply> poll = CompletableFuture.supplyAsync(
        () -> http.get("/api/v1/activations/" + id + "?wait=20", key));
    Eventually.eventually("the long poll is parked", () -> app.app().activations().waiting() > 0);
    http.post("/api/v1/sandbox/activations/" + id + "/sms", "{\"text\":\"Your code is 482913\"}", key);
    RawHttp.Reply answered = poll.join();

    assertThat(answered.status()).isEqualTo(200);
    assertThat(answered.text("code")).isEqualTo("482913");
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(WOKEN_WITHIN);
  }

  @Test
  void aQuickStartStatusPollWaitsForTheCancel() {
    String id = buy();

    long started = System.nanoTime();
    CompletableFuture<RawHttp.Reply> poll = CompletableFuture.supplyAsync(
        () -> http.get("/status?id=" + id + "&wait=20&key=" + app.sandboxKey()));
    Eventually.eventually("the long poll is parked", () -> app.app().activations().waiting() > 0);
    http.post("/api/v1/activations/" + id + "/cancel", "", key);
    RawHttp.Reply answered = poll.join();

    assertThat(answered.text("status")).isEqualTo("CANCELED");
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(WOKEN_WITHIN);
  }

  @Test
  void anActivationTheClientAlreadyHasIsA304WithNoBodyAfterTheWait() {
    String id = buy();
    String version = http.get("/api/v1/activations/" + id, key).header("ETag");

    RawHttp.Reply at = http.get("/api/v1/activations/" + id, key[0], key[1], "If-None-Match", version);
    long started = System.nanoTime();
    RawHttp.Reply afterWaiting = http.get("/api/v1/activations/" + id + "?wait=1", key[0], key[1], "If-None-Match",
        version);

    assertThat(at.status()).isEqualTo(304);
    assertThat(at.body()).isEmpty();
    assertThat(afterWaiting.status()).isEqualTo(304);
    assertThat(Duration.ofNanos(System.nanoTime() - started)).as("held for the wait").isGreaterThan(Duration.ofMillis(900));
  }

  /** A digest of the code in the ETag gave a six-digit code away to anyone trying the million candidates. */
  @Test
  void theETagTellsNothingOfTheCodeAndStillAnswersConditionalReads() {
    String one = buy();
    String other = buy();
    http.post("/api/v1/sandbox/activations/" + one + "/sms", "{\"text\":\"Your code is 482913\"}", key);
    http.post("/api/v1/sandbox/activations/" + other + "/sms", "{\"text\":\"Your code is 771204\"}", key);

    RawHttp.Reply oneRead = http.get("/api/v1/activations/" + one, key);
    RawHttp.Reply otherRead = http.get("/api/v1/activations/" + other, key);
    RawHttp.Reply conditional = http.get("/api/v1/activations/" + one, key[0], key[1], "If-None-Match",
        oneRead.header("ETag"));

    assertThat(oneRead.text("code")).isEqualTo("482913");
    assertThat(otherRead.text("code")).isEqualTo("771204");
    assertThat(oneRead.header("ETag")).as("same history, different codes").isEqualTo(otherRead.header("ETag"))
        .isNotEqualTo(http.get("/api/v1/activations/" + buy(), key).header("ETag"));
    assertThat(conditional.status()).isEqualTo(304);
  }

  @Test
  void aStaleVersionIsAnsweredAtOnceWithTheCurrentState() {
    String id = buy();

    RawHttp.Reply answered = http.get("/api/v1/activations/" + id + "?wait=20", key[0], key[1], "If-None-Match",
        "\"not-this-one\"");

    assertThat(answered.status()).isEqualTo(200);
    assertThat(answered.text("status")).isEqualTo("WAITING");
  }

  @Test
  void aWaitOutsideZeroToTwentyFiveSecondsIsRefusedInEachDialect() {
    String id = buy();

    for (String wait : new String[] {"26", "-1", "soon"}) {
      RawHttp.Reply rest = http.get("/api/v1/activations/" + id + "?wait=" + wait, key);
      RawHttp.Reply quickStart = http.get("/status?id=" + id + "&wait=" + wait + "&key=" + app.sandboxKey());
      assertThat(rest.status()).isEqualTo(400);
      assertThat(rest.text("code")).isEqualTo("BAD_REQUEST");
      assertThat(quickStart.status()).isEqualTo(400);
      assertThat(quickStart.text("error")).isEqualTo("BAD_REQUEST");
    }
  }

  @Test
  void anotherCustomersActivationIsNotFoundAtOnceEvenWhenWaiting() {
    String id = buy();
    TestApp.Customer stranger = app.sandboxCustomer();

    RawHttp.Reply answered = http.get("/api/v1/activations/" + id + "?wait=20", "x-api-key", stranger.key());

    assertThat(answered.status()).isEqualTo(404);
  }

  private static String buy() {
    RawHttp.Reply bought = http.post("/api/v1/activations",
        "{\"serviceCode\":\"wa\",\"countries\":[\"us\"],\"operator\":\"nocode\"}", key);
    assertThat(bought.status()).as(bought.body()).isEqualTo(201);
    return bought.text("id");
  }
}
