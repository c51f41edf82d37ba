package io.verigate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.verigate.client.VerigateException;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class ApiRefusalTest {
  private static final CustomerSettings SETTINGS = new CustomerSettings("vg_test_x", "VERIGATE_API_KEY",
      URI.create("http://127.0.0.1:7070"));

  @ParameterizedTest
  @CsvSource({
      "400, UNKNOWN_SERVICE, 65", "401, BAD_KEY, 77", "402, NO_BALANCE, 65", "403, SCOPE_REQUIRED, 77",
      "403, ADDRESS_NOT_ALLOWED, 77", "404, ACTIVATION_NOT_FOUND, 65", "409, NO_NUMBERS, 75",
      "409, PRICE_ABOVE_MAX, 65", "409, EARLY_CANCEL_DENIED, 75", "409, INVALID_STATE, 65", "429, RATE_LIMITED, 75",
      "429, LIVE_ACTIVATION_LIMIT, 75", "503, SERVICE_UNAVAILABLE, 75", "500, INTERNAL, 70"})
  void mapsEachRefusalToItsSysexitsCode(int status, String code, int exitCode) {
    assertThat(ApiRefusal.exitCode(new VerigateException(status, code, "detail", Map.of()))).isEqualTo(exitCode);
  }

  @Test
  void aRateLimitSaysWhenToTryAgain() {
    VerigateException limited = new VerigateException(429, "RATE_LIMITED", "too many purchases", Map.of(),
        Duration.ofSeconds(12));

    assertThat(ApiRefusal.failure(limited, SETTINGS)).hasMessage("too many purchases (RATE_LIMITED); try again in 12 s");
  }

  @Test
  void aRefusedKeySaysWhereTheKeyCameFrom() {
    VerigateException refused = new VerigateException(401, "BAD_KEY", "unknown API key", Map.of());

    assertThat(ApiRefusal.failure(refused, SETTINGS))
        .hasMessage("the API key from VERIGATE_API_KEY was refused: unknown API key (BAD_KEY)");
  }
}
