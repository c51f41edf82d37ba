package io.verigate.server.activation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.verigate.server.account.ApiKeys;
import io.verigate.server.account.Actor;
import io.verigate.server.account.Mode;
import io.verigate.server.account.Principal;
import io.verigate.server.inbound.InboundMessage;
import io.verigate.server.inbound.Receipt;
import io.verigate.server.App;
import io.verigate.server.system.ErrorCode;
import io.verigate.server.system.Failure;
import io.verigate.server.testing.MutableClock;
import io.verigate.server.testing.TestApp;
import io.verigate.server.wallet.Balance;
import io.verigate.server.wallet.LedgerEntry;
import io.verigate.server.wallet.Money;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The end of a lifetime, settled by the expiry sweep or by whatever reaches the activation first, with the clock
 * under the test's control. Live-mode keys buy imported numbers, so the
 * sandbox simulator stays out of it, and codes arrive through the real inbound pipeline. The scheduled
 * sweep is pushed out of reach so that only the test's own {@code sweep()} calls end activations.
 */
class ActivationSweepTest {
  private static final Duration LIFETIME = Duration.ofMinutes(20);
  private static final Money PRICE = Money.parse("0.50");
  private static final Money FUNDS = Money.parse("10.00");

  private static final MutableClock clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
  private static TestApp app;
  private static long sourceId;

  @BeforeAll
  static void startNodeWithNumbers() {
    app = TestApp.start(false, Map.of("activation-lifetime", "20m", "early-cancel-guard", "2m",
        "sweep-interval", "1h", "default-price", PRICE.toDecimalString()), clock);
    sourceId = app.app().numberSources().create(Actor.SYSTEM, "sweep-gw", "http").source().id();
    List<String> numbers = IntStream.range(0, 20).mapToObj(i -> String.format("+141555502%02d", i)).toList();
    app.app().inventory().importNumbers(Actor.SYSTEM, "sweep-gw", null, numbers);
  }

  @AfterAll
  static void stopNode() {
    app.close();
  }

  @Test
  void expiresAnActivationWithoutACodeAndRefundsIt() {
    Principal buyer = fundedLiveCustomer("no-code");
    Activation bought = services().activations().purchase(buyer, PurchaseRequest.of("wa", "us"));
    assertThat(balance(buyer)).isEqualTo(new Balance(balance(buyer).walletId(), FUNDS, PRICE));

    clock.advance(LIFETIME.plusSeconds(1));
    services().activations().sweep();

    Activation after = services().activations().get(buyer, bought.id());
    assertThat(after.status()).isEqualTo(ActivationStatus.EXPIRED);
    assertThat(balance(buyer).posted()).isEqualTo(FUNDS);
    assertThat(balance(buyer).held()).isEqualTo(Money.ZERO);
    assertThat(settlementsOf(buyer, bought)).containsExactly(LedgerEntry.Kind.EXPIRE);
    assertThat(services().wallets().reconciles(buyer.customerId(), Mode.LIVE)).isTrue();
  }

  @Test
  void finishesAnActivationWithACodeAndChargesIt() {
    Principal buyer = fundedLiveCustomer("with-code");
    Activation bought = services().activations().purchase(buyer, PurchaseRequest.of("wa", "us"));
    deliverCode(bought);
    assertThat(services().activations().get(buyer, bought.id()).status()).isEqualTo(ActivationStatus.RECEIVED);

    clock.advance(LIFETIME);
    services().activations().sweep();

    Activation after = services().activations().get(buyer, bought.id());
    assertThat(after.status()).isEqualTo(ActivationStatus.FINISHED);
    assertThat(after.code()).isNotNull();
    assertThat(balance(buyer).posted()).isEqualTo(FUNDS.minus(PRICE));
    assertThat(balance(buyer).held()).isEqualTo(Money.ZERO);
    assertThat(settlementsOf(buyer, bought)).containsExactly(LedgerEntry.Kind.POST);
    assertThat(services().wallets().reconciles(buyer.customerId(), Mode.LIVE)).isTrue();
  }

  @Test
  void leavesALiveActivationAloneBeforeItsLifetimeEnds() {
    Principal buyer = fundedLiveCustomer("still-live");
    Activation bought = services().activations().purchase(buyer, PurchaseRequest.of("wa", "us"));

    clock.advance(LIFETIME.minusSeconds(1));
    services().activations().sweep();

    Activation after = services().activations().get(buyer, bought.id());
    assertThat(after.status()).isEqualTo(ActivationStatus.WAITING);
    assertThat(after.endedAt()).isNull();
    assertThat(balance(buyer).held()).isEqualTo(PRICE);
    assertThat(settlementsOf(buyer, bought)).isEmpty();
  }

  @Test
  void aCodeOneMillisecondAfterTheLifetimeIsJournaledUnmatchedAndTheActivationExpires() {
    Principal buyer = fundedLiveCustomer("late-code");
    Activation bought = services().activations().purchase(buyer, PurchaseRequest.of("wa", "us"));

    clock.advance(LIFETIME.plusMillis(1));
    Receipt receipt = services().pipeline().accept(new InboundMessage(sourceId, "late-" + UUID.randomUUID(),
        bought.phone(), "WhatsApp", "Your WhatsApp code: 482-913", clock.instant()));

    assertThat(receipt.activationId()).isNull();
    assertThat(receipt.codeFound()).isFalse();
    assertThat(journaledActivation(receipt)).isNull();
    Activation after = services().activations().get(buyer, bought.id());
    assertThat(after.status()).isEqualTo(ActivationStatus.EXPIRED);
    assertThat(after.code()).isNull();
    assertThat(after.endedAt()).isEqualTo(bought.expiresAt());
    services().activations().sweep();
    assertThat(balance(buyer)).isEqualTo(new Balance(balance(buyer).walletId(), FUNDS, Money.ZERO));
    assertThat(settlementsOf(buyer, bought)).containsExactly(LedgerEntry.Kind.EXPIRE);
  }

  @Test
  void aFinishAfterTheLifetimeOfAWaitingActivationChargesNothingAndExpiresTheHold() {
    Principal buyer = fundedLiveCustomer("late-finish-waiting");
    Activation bought = services().activations().purchase(buyer, PurchaseRequest.of("wa", "us"));

    clock.advance(LIFETIME);

    assertThatThrownBy(() -> services().activations().finish(buyer, bought.id()))
        .isInstanceOfSatisfying(Failure.class, f -> assertThat(f.code()).isEqualTo(ErrorCode.INVALID_STATE));
    assertThat(services().activations().get(buyer, bought.id()).status()).isEqualTo(ActivationStatus.EXPIRED);
    assertThat(balance(buyer)).isEqualTo(new Balance(balance(buyer).walletId(), FUNDS, Money.ZERO));
    assertThat(settlementsOf(buyer, bought)).containsExactly(LedgerEntry.Kind.EXPIRE);
    assertThat(services().wallets().reconciles(buyer.customerId(), Mode.LIVE)).isTrue();
  }

  @Test
  void aFinishAfterTheLifetimeOfAnActivationWithACodeIsChargedOnce() {
    Principal buyer = fundedLiveCustomer("late-finish-received");
    Activation bought = services().activations().purchase(buyer, PurchaseRequest.of("wa", "us"));
    deliverCode(bought);

    clock.advance(LIFETIME);
    Activation finished = services().activations().finish(buyer, bought.id());
    Activation again = services().activations().finish(buyer, bought.id());
    services().activations().sweep();

    assertThat(finished.status()).isEqualTo(ActivationStatus.FINISHED);
    assertThat(finished.endedAt()).isEqualTo(bought.expiresAt());
    assertThat(again).isEqualTo(finished);
    assertThat(balance(buyer)).isEqualTo(new Balance(balance(buyer).walletId(), FUNDS.minus(PRICE), Money.ZERO));
    assertThat(settlementsOf(buyer, bought)).containsExactly(LedgerEntry.Kind.POST);
    assertThat(services().wallets().reconciles(buyer.customerId(), Mode.LIVE)).isTrue();
  }

  @Test
  void aCancelAfterTheLifetimeAnswersTheExpiryWithTheRefund() {
    Principal buyer = fundedLiveCustomer("late-cancel");
    Activation bought = services().activations().purchase(buyer, PurchaseRequest.of("wa", "us"));

    clock.advance(LIFETIME.plusSeconds(7));
    Activation canceled = services().activations().cancel(buyer, bought.id());

    assertThat(canceled.status()).isEqualTo(ActivationStatus.EXPIRED);
    assertThat(services().activations().cancel(buyer, bought.id())).isEqualTo(canceled);
    assertThat(balance(buyer)).isEqualTo(new Balance(balance(buyer).walletId(), FUNDS, Money.ZERO));
    assertThat(settlementsOf(buyer, bought)).containsExactly(LedgerEntry.Kind.EXPIRE);
  }

  @Test
  void noResendOrBanReportAfterTheLifetimeOfAnActivationWithACode() {
    Principal buyer = fundedLiveCustomer("late-resend");
    Activation bought = services().activations().purchase(buyer, PurchaseRequest.of("wa", "us"));
    deliverCode(bought);

    clock.advance(LIFETIME);

    assertThatThrownBy(() -> services().activations().requestAnotherCode(buyer, bought.id()))
        .isInstanceOfSatisfying(Failure.class, f -> assertThat(f.code()).isEqualTo(ErrorCode.INVALID_STATE));
    assertThatThrownBy(() -> services().activations().reportBanned(buyer, bought.id()))
        .isInstanceOfSatisfying(Failure.class, f -> assertThat(f.code()).isEqualTo(ErrorCode.INVALID_STATE));
    assertThat(services().activations().get(buyer, bought.id()).status()).isEqualTo(ActivationStatus.FINISHED);
    assertThat(settlementsOf(buyer, bought)).containsExactly(LedgerEntry.Kind.POST);
  }

  private static void deliverCode(Activation bought) {
    clock.advance(Duration.ofMinutes(1));
    services().pipeline().accept(new InboundMessage(sourceId, "sweep-" + UUID.randomUUID(), bought.phone(), "WhatsApp",
        "Your WhatsApp code: 482-913. Don't share this code with others", clock.instant()));
  }

  /** The activation the journal matched the message to, or null. */
  private static Integer journaledActivation(Receipt receipt) {
    return services().database().withHandle(h -> h.createQuery("SELECT activation_id FROM inbound_message WHERE id = :id")
        .bind("id", receipt.messageId()).mapTo(Integer.class).one());
  }

  private static App services() {
    return app.app();
  }

  private static Principal fundedLiveCustomer(String name) {
    long customer = services().accounts().createCustomer(Actor.SYSTEM, name).id();
    String key = services().keys().issue(Actor.SYSTEM, customer, ApiKeys.NewKey.unrestricted(Mode.LIVE, "sweep test")).secret();
    services().wallets().credit(Actor.SYSTEM, customer, Mode.LIVE, FUNDS, "test funds");
    return app.principal(key);
  }

  private static Balance balance(Principal buyer) {
    return services().wallets().balance(buyer.customerId(), Mode.LIVE);
  }

  /** Every settlement of the activation's hold: none while it is pending, exactly one after. */
  private static List<LedgerEntry.Kind> settlementsOf(Principal buyer, Activation activation) {
    return services().wallets().history(buyer.customerId(), Mode.LIVE, Long.MAX_VALUE, 100).stream()
        .filter(e -> Long.valueOf(activation.holdId()).equals(e.resolvesHold()))
        .map(LedgerEntry::kind)
        .toList();
  }
}
