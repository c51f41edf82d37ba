package io.verigate.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.verigate.client.Activation;
import io.verigate.client.BuyRequest;
import io.verigate.client.VerigateClient;
import io.verigate.client.VerigateException;
import io.verigate.client.provider.BoughtNumber;
import io.verigate.client.provider.ProviderException;
import io.verigate.client.provider.VerigateProvider;
import io.verigate.server.testing.MutableClock;
import io.verigate.server.testing.TestApp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A REST cancel inside the early-cancel guard says when the guard ends ({@code Retry-After}), so a client, or a node
 * reselling this one's numbers through the SDK, cancels again then rather than guessing. The node's clock stands still
 * unless the test moves it, so the seconds left are exact.
 */
class EarlyCancelRetryAfterTest {

  @Test
  void aCancelTooEarlySaysInWholeSecondsWhenTheGuardEnds() {
    MutableClock clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
    try (TestApp app = TestApp.start(false, Map.of("early-cancel-guard", "120s"), clock)) {
      VerigateClient client = VerigateClient.create(app.baseUrl(), app.sandboxKey());
      Activation bought = client.buy(BuyRequest.of("wa", "us").withOperator("nocode"));
      clock.advance(Duration.ofMillis(45_500));

      VerigateException refused = catchThrowableOfType(() -> client.cancel(bought.id()), VerigateException.class);
      assertThat(refused.code()).isEqualTo("EARLY_CANCEL_DENIED");
      assertThat(refused.retryAfter()).as("74.5 s left, rounded up").contains(Duration.ofSeconds(75));

      BoughtNumber number = new BoughtNumber("node", Integer.toString(bought.id()), bought.phoneNumber(), "us", null);
      assertThatThrownBy(() -> new VerigateProvider("node", client).cancel(number))
          .isInstanceOfSatisfying(ProviderException.class, e -> {
            assertThat(e.reason()).isEqualTo(ProviderException.Reason.TOO_EARLY);
            assertThat(e.retryAfter()).as("what a reselling node's outbox waits").contains(Duration.ofSeconds(75));
          });
    }
  }
}
