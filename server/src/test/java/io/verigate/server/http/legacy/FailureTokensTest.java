package io.verigate.server.http.legacy;

import static org.assertj.core.api.Assertions.assertThat;

import io.verigate.server.account.RateLimited;
import io.verigate.server.account.Verdict;
import io.verigate.server.activation.PriceAboveMax;
import io.verigate.server.system.ErrorCode;
import io.verigate.server.system.Failure;
import io.verigate.server.wallet.Money;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The core's refusals as sms-activate tokens, including those no HTTP test can provoke on purpose. */
class FailureTokensTest {
  private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

  @ParameterizedTest
  @CsvSource({
      "BAD_KEY,                BAD_KEY",
      "UNKNOWN_SERVICE,        BAD_SERVICE",
      "UNKNOWN_COUNTRY,        BAD_COUNTRY",
      "NO_BALANCE,             NO_BALANCE",
      "NO_NUMBERS,             NO_NUMBERS",
      "ACTIVATION_NOT_FOUND,   NO_ACTIVATION",
      "EARLY_CANCEL_DENIED,    EARLY_CANCEL_DENIED",
      "INVALID_STATE,          BAD_STATUS",
      "IDEMPOTENCY_KEY_REUSED, ORDER_ALREADY_EXISTS",
      "IDEMPOTENCY_IN_FLIGHT,  ORDER_ALREADY_EXISTS",
      "REUSE_NOT_POSSIBLE,     RENEW_ACTIVATION_NOT_AVAILABLE",
      "LIVE_ACTIVATION_LIMIT,  CHANNELS_LIMIT",
      "CONFLICT,               ERROR_SQL",
      "INTERNAL,               ERROR_SQL"})
  void translatesEachRefusalOfTheCore(ErrorCode code, String token) {
    assertThat(LegacyRoutes.token(new Failure(code, "refused"), NOW)).isEqualTo(token);
  }

  @Test
  void namesTheCheapestPriceWhenEveryNumberCostsMoreThanTheMaximum() {
    assertThat(LegacyRoutes.token(new PriceAboveMax(Money.parse("0.035"), Money.parse("0.01")), NOW))
        .isEqualTo("WRONG_MAX_PRICE:0.035");
  }

  @Test
  void aSpentRateLimitIsABanUntilTheQuotaIsBack() {
    Verdict refused = new Verdict(false, "purchase", 600, 60, 0, 42, 42);

    assertThat(LegacyRoutes.token(new RateLimited(refused), NOW)).isEqualTo("BANNED:2026-03-01 12:00:42");
  }
}
