package io.verigate.server.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.verigate.client.VerigateClient;
import io.verigate.client.provider.BoughtNumber;
import io.verigate.client.provider.Order;
import io.verigate.client.provider.ProviderException;
import io.verigate.client.provider.ProviderException.Reason;
import io.verigate.client.provider.VerificationProvider;
import io.verigate.server.testing.TestApp;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Each SDK provider against a real node, which speaks all three dialects: sandbox keys for the lifecycle and the
 * sandbox's magic operators for its failures, a live key with an empty wallet for {@code NO_BALANCE}.
 */
class ProvidersApiTest {
  private static final Duration CODE_WAIT = Duration.ofSeconds(15);

  private static TestApp app;
  /** A node that lets each key buy once a minute. */
  private static TestApp limited;

  @BeforeAll
  static void start() {
    app = TestApp.start(Map.of("early-cancel-guard", "0s"));
    limited = TestApp.start(Map.of("rate-limit-purchase", "1/1m"));
  }

  @AfterAll
  static void stop() {
    app.close();
    limited.close();
  }

  /** A provider and a REST client on one fresh sandbox customer, so balances are the test's own. */
  private record Customer(VerificationProvider provider, VerigateClient rest) {}

  private static Customer sandboxCustomer(Dialect dialect) {
    String key = app.sandboxCustomer().key();
    return new Customer(dialect.provider(dialect.name(), app.baseUrl(), key), VerigateClient.create(app.baseUrl(), key));
  }

  @ParameterizedTest
  @EnumSource(Dialect.class)
  void buysANumberGetsItsCodeAndFinishesIt(Dialect dialect) throws InterruptedException {
    Customer customer = sandboxCustomer(dialect);
    BigDecimal before = customer.provider().balance();

    BoughtNumber number = customer.provider().buy(Order.of("wa", "us"));
    String code = customer.provider().awaitCode(number, CODE_WAIT);
    customer.provider().finish(number);

    assertThat(number.provider()).isEqualTo(dialect.name());
    assertThat(number.phone()).matches("\\+1\\d{10}");
    assertThat(number.country()).isEqualTo("us");
    assertThat(number.price()).isEqualByComparingTo("0.50");
    assertThat(code).matches("\\d{6}");
    assertThat(customer.rest().activation(Integer.parseInt(number.id())).status()).isEqualTo("FINISHED");
    assertThat(customer.provider().balance()).isEqualByComparingTo(before.subtract(number.price()));
  }

  @ParameterizedTest
  @EnumSource(Dialect.class)
  void aNumberWithoutACodeTimesOutAndIsRefundedWhenCancelled(Dialect dialect) throws InterruptedException {
    Customer customer = sandboxCustomer(dialect);
    BigDecimal before = customer.provider().balance();

    BoughtNumber number = customer.provider().buy(Order.of("wa", "us").withOperator("nocode"));
    assertThat(customer.provider().balance()).isEqualByComparingTo(before.subtract(number.price()));
    assertRefused(() -> customer.provider().awaitCode(number, Duration.ofSeconds(1)), Reason.TIMEOUT);
    customer.provider().cancel(number);

    assertThat(customer.rest().activation(Integer.parseInt(number.id())).status()).isEqualTo("CANCELED");
    assertThat(customer.provider().balance()).isEqualByComparingTo(before);
    assertRefused(() -> customer.provider().awaitCode(number, Duration.ofSeconds(1)), Reason.ENDED);
  }

  @ParameterizedTest
  @EnumSource(value = Dialect.class, names = {"REST", "SMS_ACTIVATE"})
  void resendWaitsForTheNextCodeOnTheSameNumber(Dialect dialect) throws InterruptedException {
    Customer customer = sandboxCustomer(dialect);
    BoughtNumber number = customer.provider().buy(Order.of("wa", "us").withOperator("nocode"));
    int id = Integer.parseInt(number.id());

    customer.rest().sandboxSms(id, "WhatsApp", "Your WhatsApp code 111-222");
    assertThat(customer.provider().awaitCode(number, CODE_WAIT)).isEqualTo("111222");
    customer.provider().resend(number);
    assertRefused(() -> customer.provider().awaitCode(number, Duration.ofSeconds(1)), Reason.TIMEOUT);
    customer.rest().sandboxSms(id, "WhatsApp", "Your WhatsApp code 333-444");

    assertThat(customer.provider().awaitCode(number, CODE_WAIT)).isEqualTo("333444");
  }

  @ParameterizedTest
  @EnumSource(value = Dialect.class, names = "FIVESIM")
  void fiveSimHasNoResend(Dialect dialect) {
    Customer customer = sandboxCustomer(dialect);
    BoughtNumber number = customer.provider().buy(Order.of("wa", "us").withOperator("nocode"));

    assertRefused(() -> customer.provider().resend(number), Reason.UNSUPPORTED);
  }

  @ParameterizedTest
  @EnumSource(Dialect.class)
  void noNumbersIsItsOwnReason(Dialect dialect) {
    Customer customer = sandboxCustomer(dialect);

    assertRefused(() -> customer.provider().buy(Order.of("wa", "us", "gb").withOperator("nonumbers")), Reason.NO_NUMBERS);
  }

  @ParameterizedTest
  @EnumSource(value = Dialect.class, names = {"REST", "SMS_ACTIVATE"})
  void aPriceAboveTheMaximumIsItsOwnReason(Dialect dialect) {
    Customer customer = sandboxCustomer(dialect);

    assertRefused(() -> customer.provider().buy(Order.of("wa", "us").withMaxPrice(new BigDecimal("0.01"))),
        Reason.PRICE_ABOVE_MAX);
  }

  @ParameterizedTest
  @EnumSource(value = Dialect.class, names = "FIVESIM")
  void fiveSimWordsAPriceAboveTheMaximumAsNoFreePhones(Dialect dialect) {
    Customer customer = sandboxCustomer(dialect);

    assertRefused(() -> customer.provider().buy(Order.of("wa", "us").withMaxPrice(new BigDecimal("0.01"))),
        Reason.NO_NUMBERS);
  }

  @ParameterizedTest
  @EnumSource(Dialect.class)
  void anEmptyWalletIsNoBalance(Dialect dialect) {
    TestApp.Source source = app.createSource();
    app.stock(source.name(), "DE", null, 1);
    app.setPrice("wa", "DE", "0.40");
    VerificationProvider provider = dialect.provider("live", app.baseUrl(), app.liveCustomer("0").key());

    assertRefused(() -> provider.buy(Order.of("wa", "de")), Reason.NO_BALANCE);
    assertThat(provider.balance()).isEqualByComparingTo("0");
  }

  @ParameterizedTest
  @EnumSource(Dialect.class)
  void aBadKeyIsRefused(Dialect dialect) {
    VerificationProvider provider = dialect.provider("bad", app.baseUrl(), "vg_test_not-a-key");

    assertRefused(provider::balance, Reason.REFUSED);
  }

  @ParameterizedTest
  @EnumSource(Dialect.class)
  void aProviderThatIsNotListeningIsDown(Dialect dialect) throws IOException {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    VerificationProvider provider = dialect.provider("gone", "http://127.0.0.1:" + closedPort, "vg_test_key");

    assertRefused(() -> provider.buy(Order.of("wa", "us")), Reason.PROVIDER_DOWN);
    assertRefused(provider::balance, Reason.PROVIDER_DOWN);
  }

  @ParameterizedTest
  @EnumSource(Dialect.class)
  void aSpentPurchaseQuotaIsRateLimitedWithTheWaitTheNodeAsksFor(Dialect dialect) {
    VerificationProvider provider = dialect.provider("limited", limited.baseUrl(), limited.sandboxCustomer().key());
    provider.buy(Order.of("wa", "us").withOperator("nocode"));

    assertThatThrownBy(() -> provider.buy(Order.of("wa", "us").withOperator("nocode")))
        .isInstanceOfSatisfying(ProviderException.class, e -> {
          assertThat(e.reason()).as(e.getMessage()).isEqualTo(Reason.RATE_LIMITED);
          assertThat(e.retryAfter()).hasValueSatisfying(wait -> assertThat(wait).isPositive()
              .isLessThanOrEqualTo(Duration.ofMinutes(1)));
        });
  }

  static void assertRefused(ThrowingCallable call, Reason reason) {
    assertThatThrownBy(call).isInstanceOfSatisfying(ProviderException.class,
        e -> assertThat(e.reason()).as(e.getMessage()).isEqualTo(reason));
  }
}
