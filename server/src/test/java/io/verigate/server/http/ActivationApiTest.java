package io.verigate.server.http;

import static io.verigate.server.http.Refusals.assertProblem;
import static io.verigate.server.http.Refusals.refused;
import static org.assertj.core.api.Assertions.assertThat;

import io.verigate.client.Activation;
import io.verigate.client.ActivationPage;
import io.verigate.client.BuyRequest;
import io.verigate.client.ListFilter;
import io.verigate.client.SandboxDelivery;
import io.verigate.client.VerigateClient;
import io.verigate.server.testing.Eventually;
import io.verigate.server.testing.TestApp;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The activation routes of {@code /api/v1} with sandbox keys, through the SDK, and their refusals. */
class ActivationApiTest {
  private static final Duration CODE_WAIT = Duration.ofSeconds(10);

  private static TestApp app;
  private static AdminSetup admin;
  private static RawHttp http;
  private static VerigateClient sandbox;

  @BeforeAll
  static void start() {
    app = TestApp.start();
    admin = new AdminSetup(app);
    http = new RawHttp(app.baseUrl());
    sandbox = admin.client(app.sandboxKey());
  }

  @AfterAll
  static void stop() {
    app.close();
  }

  /** A sandbox purchase whose simulated SMS never comes, so the test decides what arrives. */
  private static BuyRequest quietWhatsAppInUs() {
    return BuyRequest.of("wa", "us").withOperator("nocode");
  }

  @Test
  void buysASandboxNumberAndReturnsTheCodeOnceTheSimulatedSmsArrives() throws InterruptedException {
    Activation bought = sandbox.buy(BuyRequest.of("wa", "us"));

    assertThat(bought.status()).isEqualTo("WAITING");
    assertThat(bought.serviceCode()).isEqualTo("wa");
    assertThat(bought.countryIso()).isEqualTo("US");
    assertThat(bought.phoneNumber()).matches("\\+1\\d{10}");
    assertThat(bought.userCost()).isEqualByComparingTo("0.50");
    assertThat(bought.currency()).isEqualTo("USD");
    assertThat(bought.code()).isNull();
    assertThat(bought.expiresAt()).isAfter(bought.createdAt());

    Activation received = sandbox.awaitCode(bought.id(), CODE_WAIT);

    assertThat(received.status()).isEqualTo("RECEIVED");
    assertThat(received.code()).matches("\\d{6}");
    assertThat(received.smsText()).contains("WhatsApp code");
    assertThat(received.smsFrom()).isEqualTo("WhatsApp");
    assertThat(received.receivedAt()).isNotNull();
    assertThat(received.phoneNumber()).isEqualTo(bought.phoneNumber());
  }

  @ParameterizedTest
  @CsvSource({"wa,us", "whatsapp,us", "wa,187", "whatsapp,usa", "WhatsApp,US"})
  void acceptsAServiceByCodeOrNameAndACountryByIsoNumericIdOrSlug(String service, String country) {
    Activation bought = sandbox.buy(BuyRequest.of(service, country).withOperator("nocode"));

    assertThat(bought.serviceCode()).isEqualTo("wa");
    assertThat(bought.countryIso()).isEqualTo("US");
  }

  @Test
  void awaitingACodeThatNeverComesReturnsTheWaitingActivationWhenTheTimeoutPasses() throws InterruptedException {
    Activation bought = sandbox.buy(quietWhatsAppInUs());

    long started = System.nanoTime();
    // Not a whole number of seconds: the long polls wait whole seconds, the SDK waits the rest itself.
    Activation seen = sandbox.awaitCode(bought.id(), Duration.ofMillis(2500));

    assertThat(seen.status()).isEqualTo("WAITING");
    assertThat(seen.hasCode()).isFalse();
    assertThat(Duration.ofNanos(System.nanoTime() - started)).as("held for the whole timeout, never less")
        .isBetween(Duration.ofMillis(2500), CODE_WAIT);
  }

  @Test
  void awaitingACodeReturnsItAsSoonAsItLands() throws InterruptedException {
    Activation bought = sandbox.buy(quietWhatsAppInUs());
    CompletableFuture<Activation> awaited = CompletableFuture.supplyAsync(() -> {
      try {
        return sandbox.awaitCode(bought.id(), Duration.ofSeconds(60));
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
    });
    Eventually.eventually("the SDK's long poll is parked", () -> app.app().activations().waiting() > 0);

    long sent = System.nanoTime();
    sandbox.sandboxSms(bought.id(), "Acme", "Your code is 604 118");

    assertThat(awaited.join().code()).isEqualTo("604118");
    assertThat(Duration.ofNanos(System.nanoTime() - sent)).as("woken, not timed out").isLessThan(CODE_WAIT);
  }

  @Test
  void refusesAMissingOrUnknownServiceOrCountry() {
    refused(() -> sandbox.buy(BuyRequest.of(null, "us")), 400, "UNKNOWN_SERVICE");
    refused(() -> sandbox.buy(BuyRequest.of("nosuchservice", "us")), 400, "UNKNOWN_SERVICE");
    refused(() -> sandbox.buy(BuyRequest.of("wa", null)), 400, "UNKNOWN_COUNTRY");
    refused(() -> sandbox.buy(BuyRequest.of("wa", "zz")), 400, "UNKNOWN_COUNTRY");
    refused(() -> sandbox.buy(BuyRequest.ranked("wa", List.of("us", "zz"))), 400, "UNKNOWN_COUNTRY");
  }

  static Stream<Arguments> brokenPurchaseBodies() {
    return Stream.of(
        Arguments.of("{\"serviceCode\": \"wa\", ", "MALFORMED_JSON"),
        Arguments.of("", "MALFORMED_JSON"),
        Arguments.of("[\"wa\", \"us\"]", "MALFORMED_JSON"),
        Arguments.of("\"wa\"", "MALFORMED_JSON"),
        Arguments.of("{\"serviceCode\": {\"code\": \"wa\"}, \"countryIso\": \"us\"}", "BAD_REQUEST"),
        Arguments.of("{\"serviceCode\": \"wa\", \"countries\": \"us\"}", "BAD_REQUEST"),
        Arguments.of("{\"serviceCode\": \"wa\", \"countries\": []}", "BAD_REQUEST"),
        Arguments.of("{\"serviceCode\": \"wa\", \"countryIso\": \"us\", \"maxPrice\": \"cheap\"}", "BAD_REQUEST"),
        Arguments.of("{\"serviceCode\": \"wa\", \"countryIso\": \"us\", \"maxPrice\": \"-1\"}", "BAD_REQUEST"),
        Arguments.of("{\"serviceCode\": \"wa\", \"countryIso\": \"us\", \"operator\": \"no spaces!\"}", "BAD_REQUEST"));
  }

  @ParameterizedTest
  @MethodSource("brokenPurchaseBodies")
  void refusesABrokenPurchaseBodyWithA400Problem(String body, String code) {
    assertProblem(http.post("/api/v1/activations", body, "x-api-key", app.sandboxKey()), 400, code);
  }

  @ParameterizedTest
  @ValueSource(strings = {"abc", "0", "-1", "1.5", "99999999999"})
  void answersNotFoundForAnIdThatCannotExist(String id) {
    String key = app.sandboxKey();
    assertProblem(http.get("/api/v1/activations/" + id, "x-api-key", key), 404, "ACTIVATION_NOT_FOUND");
    for (String action : List.of("cancel", "finish", "resend", "ban")) {
      assertProblem(http.post("/api/v1/activations/" + id + "/" + action, null, "x-api-key", key), 404, "ACTIVATION_NOT_FOUND");
    }
    assertProblem(http.post("/api/v1/sandbox/activations/" + id + "/sms", "{\"text\":\"code 1234\"}", "x-api-key", key),
        404, "ACTIVATION_NOT_FOUND");
  }

  @Test
  void answersNotFoundForAnIdNobodyHolds() {
    refused(() -> sandbox.activation(Integer.MAX_VALUE), 404, "ACTIVATION_NOT_FOUND");
  }

  @Test
  void hidesAnotherCustomersActivationBehindNotFound() {
    Activation mine = sandbox.buy(quietWhatsAppInUs());
    VerigateClient stranger = admin.sandboxCustomer().client();

    refused(() -> stranger.activation(mine.id()), 404, "ACTIVATION_NOT_FOUND");
    refused(() -> stranger.cancel(mine.id()), 404, "ACTIVATION_NOT_FOUND");
    refused(() -> stranger.finish(mine.id()), 404, "ACTIVATION_NOT_FOUND");
    refused(() -> stranger.resend(mine.id()), 404, "ACTIVATION_NOT_FOUND");
    refused(() -> stranger.ban(mine.id()), 404, "ACTIVATION_NOT_FOUND");
    refused(() -> stranger.sandboxSms(mine.id(), "WhatsApp", "Your WhatsApp code: 123-456"), 404, "ACTIVATION_NOT_FOUND");
    assertThat(stranger.activations(ListFilter.all()).items()).isEmpty();

    Activation untouched = sandbox.activation(mine.id());
    assertThat(untouched.status()).isEqualTo("WAITING");
    assertThat(untouched.code()).isNull();
  }

  @Test
  void answersNoNumbersForTheSandboxMagicOperator() {
    refused(() -> sandbox.buy(BuyRequest.of("wa", "us").withOperator("nonumbers")), 409, "NO_NUMBERS");
  }

  @Test
  void refusesToCancelDuringTheEarlyCancelGuard() {
    Activation bought = sandbox.buy(quietWhatsAppInUs());

    refused(() -> sandbox.cancel(bought.id()), 409, "EARLY_CANCEL_DENIED");
    assertThat(sandbox.activation(bought.id()).status()).isEqualTo("WAITING");
  }

  @Test
  void refusesToFinishBeforeACodeAndToCancelOrBanAfterOne() {
    Activation bought = sandbox.buy(quietWhatsAppInUs());
    refused(() -> sandbox.finish(bought.id()), 409, "INVALID_STATE");

    sandbox.sandboxSms(bought.id(), "WhatsApp", "Your WhatsApp code: 123-456");

    refused(() -> sandbox.cancel(bought.id()), 409, "INVALID_STATE");
    refused(() -> sandbox.ban(bought.id()), 409, "INVALID_STATE");
    assertThat(sandbox.activation(bought.id()).status()).isEqualTo("RECEIVED");
  }

  @Test
  void finishingAFinishedActivationAnswersItAgainAndChargesNothingMore() {
    VerigateClient own = admin.sandboxCustomer().client();
    Activation bought = own.buy(quietWhatsAppInUs());
    own.sandboxSms(bought.id(), "WhatsApp", "Your WhatsApp code: 123-456");
    Activation finished = own.finish(bought.id());
    BigDecimal charged = own.balance().balance();

    Activation again = own.finish(bought.id());

    assertThat(again.status()).isEqualTo("FINISHED");
    assertThat(again.endedAt()).isEqualTo(finished.endedAt());
    assertThat(own.balance().balance()).isEqualByComparingTo(charged);
    refused(() -> own.cancel(bought.id()), 409, "INVALID_STATE");
  }

  @Test
  void resendInTheSandboxDeliversAnotherCodeOnTheSameNumber() throws InterruptedException {
    Activation bought = sandbox.buy(BuyRequest.of("tg", "gb"));
    Activation first = sandbox.awaitCode(bought.id(), CODE_WAIT);
    assertThat(first.status()).isEqualTo("RECEIVED");

    Activation resent = sandbox.resend(bought.id());
    assertThat(resent.status()).isEqualTo("WAITING");
    assertThat(resent.hasCode()).isFalse();

    Activation second = sandbox.awaitCode(bought.id(), CODE_WAIT);
    assertThat(second.status()).isEqualTo("RECEIVED");
    assertThat(second.code()).matches("\\d{6}");
    assertThat(second.receivedAt()).isAfter(first.receivedAt());
    assertThat(second.phoneNumber()).isEqualTo(bought.phoneNumber());

    Activation finished = sandbox.finish(bought.id());
    assertThat(finished.status()).isEqualTo("FINISHED");
    assertThat(finished.code()).isEqualTo(second.code());
    assertThat(finished.endedAt()).isNotNull();
    refused(() -> sandbox.resend(bought.id()), 409, "INVALID_STATE");
  }

  @Test
  void sandboxSmsRunsTheCustomersTextThroughTheCodeExtractor() {
    Activation bought = sandbox.buy(quietWhatsAppInUs());

    SandboxDelivery delivery = sandbox.sandboxSms(bought.id(), "Acme", "Your WhatsApp code: 482-913");

    assertThat(delivery.activationId()).isEqualTo(bought.id());
    assertThat(delivery.codeFound()).isTrue();
    Activation received = sandbox.activation(bought.id());
    assertThat(received.status()).isEqualTo("RECEIVED");
    assertThat(received.code()).isEqualTo("482913");
    assertThat(received.smsText()).isEqualTo("Your WhatsApp code: 482-913");
    assertThat(received.smsFrom()).isEqualTo("Acme");
  }

  @Test
  void sandboxSmsWithoutACodeShowsTheTextAndKeepsWaiting() {
    Activation bought = sandbox.buy(quietWhatsAppInUs());

    SandboxDelivery delivery = sandbox.sandboxSms(bought.id(), null, "Welcome to WhatsApp!");

    assertThat(delivery.codeFound()).isFalse();
    Activation after = sandbox.activation(bought.id());
    assertThat(after.status()).isEqualTo("WAITING");
    assertThat(after.code()).isNull();
    assertThat(after.smsText()).isEqualTo("Welcome to WhatsApp!");
  }

  @Test
  void sandboxSmsRefusesAMissingTextOrMalformedJson() {
    Activation bought = sandbox.buy(quietWhatsAppInUs());

    refused(() -> sandbox.sandboxSms(bought.id(), "Acme", null), 400, "BAD_REQUEST");
    assertProblem(http.post("/api/v1/sandbox/activations/" + bought.id() + "/sms", "{text:", "x-api-key", app.sandboxKey()),
        400, "MALFORMED_JSON");
  }

  @Test
  void listsOnlyTheCallersActivationsNewestFirstWithFiltersAndPaging() {
    VerigateClient customer = admin.sandboxCustomer().client();
    Activation waInUs = customer.buy(quietWhatsAppInUs());
    Activation tgInGb = customer.buy(BuyRequest.of("tg", "gb").withOperator("nocode"));
    Activation waInGb = customer.buy(BuyRequest.of("wa", "gb").withOperator("nocode"));
    customer.sandboxSms(waInGb.id(), "WhatsApp", "Your WhatsApp code: 555-123");

    assertThat(ids(customer.activations(ListFilter.all()))).containsExactly(waInGb.id(), tgInGb.id(), waInUs.id());
    assertThat(customer.activations(ListFilter.all()).nextBefore()).isNull();
    assertThat(ids(customer.activations(ListFilter.all().withStatus("RECEIVED")))).containsExactly(waInGb.id());
    assertThat(ids(customer.activations(ListFilter.all().withStatus("waiting")))).containsExactly(tgInGb.id(), waInUs.id());
    assertThat(ids(customer.activations(ListFilter.all().withService("whatsapp")))).containsExactly(waInGb.id(), waInUs.id());
    assertThat(ids(customer.activations(ListFilter.all().withCountry("16")))).containsExactly(waInGb.id(), tgInGb.id());
    assertThat(ids(customer.activations(ListFilter.all().withService("wa").withCountry("usa")))).containsExactly(waInUs.id());

    ActivationPage firstPage = customer.activations(ListFilter.all().withLimit(2));
    assertThat(ids(firstPage)).containsExactly(waInGb.id(), tgInGb.id());
    assertThat(firstPage.nextBefore()).isEqualTo(tgInGb.id());
    ActivationPage secondPage = customer.activations(ListFilter.all().withLimit(2).before(firstPage.nextBefore()));
    assertThat(ids(secondPage)).containsExactly(waInUs.id());
    assertThat(secondPage.nextBefore()).isNull();
  }

  @Test
  void refusesBadListFilters() {
    refused(() -> sandbox.activations(ListFilter.all().withStatus("LOST")), 400, "BAD_REQUEST");
    refused(() -> sandbox.activations(ListFilter.all().withLimit(0)), 400, "BAD_REQUEST");
    refused(() -> sandbox.activations(ListFilter.all().withLimit(101)), 400, "BAD_REQUEST");
    refused(() -> sandbox.activations(ListFilter.all().withService("nosuchservice")), 400, "UNKNOWN_SERVICE");
    refused(() -> sandbox.activations(ListFilter.all().withCountry("zz")), 400, "UNKNOWN_COUNTRY");
    assertProblem(http.get("/api/v1/activations?before=abc", "x-api-key", app.sandboxKey()), 400, "BAD_REQUEST");
    assertProblem(http.get("/api/v1/activations?limit=many", "x-api-key", app.sandboxKey()), 400, "BAD_REQUEST");
  }

  private static List<Integer> ids(ActivationPage page) {
    return page.items().stream().map(Activation::id).toList();
  }

  @Test
  void theSdkSendsMaxPriceAsAnExactDecimal() {
    Activation bought = sandbox.buy(quietWhatsAppInUs().withMaxPrice(new BigDecimal("0.5000")));

    assertThat(bought.userCost()).isEqualByComparingTo("0.50");
    refused(() -> sandbox.buy(quietWhatsAppInUs().withMaxPrice(new BigDecimal("0.4999"))), 409, "PRICE_ABOVE_MAX");
  }
}
