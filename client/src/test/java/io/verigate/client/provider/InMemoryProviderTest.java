package io.verigate.client.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.verigate.client.provider.InMemoryProvider.Outcome;
import io.verigate.client.provider.ProviderException.Reason;
import java.math.BigDecimal;
import java.time.Duration;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

class InMemoryProviderTest {
  private final ManualTime time = new ManualTime();
  private final InMemoryProvider provider = new InMemoryProvider("fake", new BigDecimal("2.00"), time, time);

  @Test
  void aScriptedCodeArrivesAfterItsDelayOnTheTestClock() throws InterruptedException {
    provider.script(Outcome.codeAfter(Duration.ofSeconds(40), "123456"));
    BoughtNumber number = provider.buy(Order.of("wa", "us"));

    assertRefused(() -> provider.awaitCode(number, Duration.ofSeconds(30)), Reason.TIMEOUT);
    assertThat(provider.awaitCode(number, Duration.ofSeconds(30))).isEqualTo("123456");
    assertThat(time.sleeps()).containsExactly(Duration.ofSeconds(30), Duration.ofSeconds(10));
    provider.finish(number);
    assertThat(provider.status(number)).isEqualTo("FINISHED");
    assertThat(provider.balance()).isEqualByComparingTo("1.50");
  }

  @Test
  void aNumberThatNeverGetsACodeTimesOutAndCancellingRefundsIt() throws InterruptedException {
    provider.script(Outcome.neverCode());
    BoughtNumber number = provider.buy(Order.of("wa", "us"));
    assertThat(provider.balance()).isEqualByComparingTo("1.50");

    assertRefused(() -> provider.awaitCode(number, Duration.ofMinutes(20)), Reason.TIMEOUT);
    provider.cancel(number);

    assertThat(provider.balance()).isEqualByComparingTo("2.00");
    assertRefused(() -> provider.awaitCode(number, Duration.ofSeconds(1)), Reason.ENDED);
  }

  @Test
  void noNumbersInOneCountryMovesTheOrderToTheNext() {
    provider.script("us", Outcome.noNumbers());

    BoughtNumber number = provider.buy(Order.of("wa", "us", "gb"));

    assertThat(number.country()).isEqualTo("gb");
    assertThat(provider.purchaseAttempts()).containsExactly("us", "gb");
  }

  @Test
  void scriptedRefusalsCarryTheirReasonAndWait() {
    provider.script(Outcome.noBalance(), Outcome.rateLimited(Duration.ofSeconds(30)), Outcome.down());

    assertRefused(() -> provider.buy(Order.of("wa", "us")), Reason.NO_BALANCE);
    assertThatThrownBy(() -> provider.buy(Order.of("wa", "us"))).isInstanceOfSatisfying(ProviderException.class, e -> {
      assertThat(e.reason()).isEqualTo(Reason.RATE_LIMITED);
      assertThat(e.retryAfter()).contains(Duration.ofSeconds(30));
    });
    assertRefused(() -> provider.buy(Order.of("wa", "us")), Reason.PROVIDER_DOWN);
  }

  @Test
  void aPriceAboveTheMaximumOrTheBalanceIsRefused() {
    provider.price(new BigDecimal("0.80"));

    assertRefused(() -> provider.buy(Order.of("wa", "us").withMaxPrice(new BigDecimal("0.60"))), Reason.PRICE_ABOVE_MAX);
    provider.setBalance(new BigDecimal("0.79"));
    assertRefused(() -> provider.buy(Order.of("wa", "us")), Reason.NO_BALANCE);
  }

  @Test
  void resendDeliversTheCodeAgainAfterItsDelay() throws InterruptedException {
    provider.script(Outcome.codeAfter(Duration.ofSeconds(5), "555"));
    BoughtNumber number = provider.buy(Order.of("wa", "us"));
    provider.awaitCode(number, Duration.ofMinutes(1));

    provider.resend(number);

    assertThat(provider.status(number)).isEqualTo("WAITING");
    assertThat(provider.awaitCode(number, Duration.ofMinutes(1))).isEqualTo("555");
    assertThat(time.sleeps()).containsExactly(Duration.ofSeconds(5), Duration.ofSeconds(5));
  }

  static void assertRefused(ThrowingCallable call, Reason reason) {
    assertThatThrownBy(call).isInstanceOfSatisfying(ProviderException.class,
        e -> assertThat(e.reason()).as(e.getMessage()).isEqualTo(reason));
  }
}
