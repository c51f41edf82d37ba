package io.verigate.server.esim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.verigate.server.system.ErrorCode;
import io.verigate.server.system.Failure;
import io.verigate.server.testing.MutableClock;
import io.verigate.server.wallet.Money;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Airalo supplier against a fake of Airalo's documented API on loopback: its token fetched once and reused,
 * renewed before it ends and after a 401, and Airalo's numbered refusals, rate limit and silence mapped to ours.
 */
class AiraloSupplierTest {
  private static final EsimPlan PLAN = new EsimPlan("gr-airalo", "Greece 1 GB", EsimPlan.Kind.ESIM, null, List.of("GR"),
      1024L, 7, null, null, Money.parse("4.50"), false, true, "kallur-digital-7days-1gb", false);
  private final MutableClock clock = new MutableClock(Instant.parse("2026-07-01T10:00:00Z"));
  private FakeAiralo airalo;
  private AiraloSupplier supplier;

  @BeforeEach
  void start() throws Exception {
    airalo = new FakeAiralo();
    supplier = new AiraloSupplier(airalo.url(), FakeAiralo.CLIENT_ID, FakeAiralo.CLIENT_SECRET, clock);
  }

  @AfterEach
  void stop() {
    airalo.close();
  }

  @Test
  void ordersThePlansPackageAndReusesOneTokenForManyOrders() {
    List<Profile> first = supplier.order(PLAN, 2);
    List<Profile> second = supplier.order(PLAN, 1);

    assertThat(first).hasSize(2);
    assertThat(second).hasSize(1);
    assertThat(first.get(0).activationCode().text()).startsWith("LPA:1$" + FakeAiralo.SMDP + "$TEST-");
    assertThat(first.get(0).confirmationCode()).isNull();
    assertThat(airalo.orders()).hasSize(2);
    assertThat(airalo.orders().get(0).get("package_id").asText()).isEqualTo("kallur-digital-7days-1gb");
    assertThat(airalo.orders().get(0).get("quantity").asInt()).isEqualTo(2);
    assertThat(airalo.orders().get(0).get("type").asText()).isEqualTo("sim");
    assertThat(airalo.tokenRequests()).isEqualTo(1);
  }

  @Test
  void renewsTheTokenBeforeAiraloSaysItEnds() {
    airalo.expiresIn(3600);
    supplier.order(PLAN, 1);
    clock.advance(Duration.ofMinutes(50));
    supplier.order(PLAN, 1);
    clock.advance(Duration.ofMinutes(6));
    supplier.order(PLAN, 1);

    assertThat(airalo.tokenRequests()).isEqualTo(2);
  }

  @Test
  void aTokenAiraloNoLongerTakesIsReplacedAndTheOrderSentOnceMore() {
    supplier.order(PLAN, 1);
    airalo.revokeTokens();

    assertThat(supplier.order(PLAN, 1)).hasSize(1);
    assertThat(airalo.tokenRequests()).isEqualTo(2);
  }

  @Test
  void mapsAiralosNumberedRefusalsItsRateLimitAndItsSilenceToOurs() throws Exception {
    assertRefused(new FakeAiralo.Refusal(422, "{\"code\":33,\"reason\":\"Insufficient stock\"}", Map.of()),
        ErrorCode.ESIM_OUT_OF_STOCK, "out of stock");
    assertRefused(new FakeAiralo.Refusal(422, "{\"code\":34,\"reason\":\"Package invalid or out of stock\"}", Map.of()),
        ErrorCode.ESIM_OUT_OF_STOCK, "out of stock");
    assertRefused(new FakeAiralo.Refusal(422, "{\"code\":11,\"reason\":\"Insufficient credit\"}", Map.of()),
        ErrorCode.SUPPLIER_UNAVAILABLE, "its error 11");
    assertRefused(new FakeAiralo.Refusal(422, "{\"code\":13,\"reason\":\"Operator maintenance\"}", Map.of()),
        ErrorCode.SUPPLIER_UNAVAILABLE, "its error 13");
    assertRefused(new FakeAiralo.Refusal(422, "{\"data\":{\"quantity\":\"The quantity may not be greater than 50.\"},"
        + "\"meta\":{\"message\":\"the parameter is invalid\"}}", Map.of()), ErrorCode.SUPPLIER_UNAVAILABLE, "as invalid");
    assertRefused(new FakeAiralo.Refusal(429, "Too Many Attempts", Map.of("Retry-After", "30")),
        ErrorCode.SUPPLIER_UNAVAILABLE, "retry after 30 s");
    assertRefused(new FakeAiralo.Refusal(500, "{}", Map.of()), ErrorCode.SUPPLIER_UNAVAILABLE, "HTTP 500");

    AiraloSupplier wrongSecret = new AiraloSupplier(airalo.url(), FakeAiralo.CLIENT_ID, "wrong", clock);
    assertThatThrownBy(() -> wrongSecret.order(PLAN, 1)).isInstanceOf(Failure.class)
        .hasMessageContaining("refused our credentials");
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    AiraloSupplier silent = new AiraloSupplier("http://127.0.0.1:" + closedPort + "/v2/", "id", "secret", clock);
    assertThatThrownBy(() -> silent.order(PLAN, 1)).isInstanceOf(Failure.class)
        .extracting(e -> ((Failure) e).code()).isEqualTo(ErrorCode.SUPPLIER_UNAVAILABLE);
  }

  private void assertRefused(FakeAiralo.Refusal refusal, ErrorCode code, String detail) {
    airalo.refuseNextOrder(refusal);
    assertThatThrownBy(() -> supplier.order(PLAN, 1)).isInstanceOf(Failure.class)
        .hasMessageContaining(detail)
        .extracting(e -> ((Failure) e).code()).isEqualTo(code);
  }
}
