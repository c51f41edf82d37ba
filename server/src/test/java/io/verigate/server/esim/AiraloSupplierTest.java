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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Airalo supplier against a fake of Airalo's documented API on loopback: its token fetched once and reused,
 * renewed before it ends and after a 401, Airalo's numbered refusals, rate limit and silence mapped to ours; top-ups,
 * usage, and the paged catalog priced by the operator's rule.
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

  @Test
  void topsAnEsimUpWithThePackageAndMapsAiralosTopUpRefusals() {
    supplier.topUp("8944465400003573253", "kallur-digital-topup-1gb");

    assertThat(airalo.topUps()).hasSize(1);
    assertThat(airalo.topUps().get(0).get("package_id").asText()).isEqualTo("kallur-digital-topup-1gb");
    assertThat(airalo.topUps().get(0).get("iccid").asText()).isEqualTo("8944465400003573253");
    airalo.refuseNextOrder(new FakeAiralo.Refusal(422, "{\"code\":23,\"reason\":\"Top-up disabled\"}", Map.of()));
    assertThatThrownBy(() -> supplier.topUp("8944465400003573253", "kallur-digital-topup-1gb"))
        .isInstanceOf(Failure.class).hasMessageContaining("top-up")
        .extracting(e -> ((Failure) e).code()).isEqualTo(ErrorCode.TOPUP_REFUSED);
    airalo.refuseNextOrder(new FakeAiralo.Refusal(422, "{\"code\":13,\"reason\":\"Maintenance\"}", Map.of()));
    assertThatThrownBy(() -> supplier.topUp("8944465400003573253", "kallur-digital-topup-1gb"))
        .isInstanceOf(Failure.class).hasMessageContaining("its error 13")
        .extracting(e -> ((Failure) e).code()).isEqualTo(ErrorCode.SUPPLIER_UNAVAILABLE);
  }

  @Test
  void readsUsageOfLimitedAndUnlimitedPlansAndLeavesAnUnknownStatusOpen() {
    airalo.usage("8944465400003573253", "ACTIVE", 767, 2048, false);
    airalo.usage("8944465400003573261", "ACTIVE", 0, 0, true);
    airalo.usage("8944465400003573279", "UNKNOWN", 100, 1024, false);
    airalo.usage("8944465400003573287", "EXPIRED", 0, 1024, false);

    assertThat(supplier.usage("8944465400003573253")).isEqualTo(new SupplierUsage(EsimStatus.ACTIVE, 2048L, 767L));
    assertThat(supplier.usage("8944465400003573261")).isEqualTo(new SupplierUsage(EsimStatus.ACTIVE, null, null));
    assertThat(supplier.usage("8944465400003573279").status()).isNull();
    assertThat(supplier.usage("8944465400003573287").status()).isEqualTo(EsimStatus.EXPIRED);
    assertThatThrownBy(() -> supplier.usage("8944465400003573295")).isInstanceOf(Failure.class)
        .extracting(e -> ((Failure) e).code()).isEqualTo(ErrorCode.SUPPLIER_UNAVAILABLE);
  }

  @Test
  void readsEveryPageOfTheCatalogAndPricesItByTheOperatorsRule() {
    List<FakeAiralo.Offer> offers = new ArrayList<>();
    offers.add(new FakeAiralo.Offer("greece", "Greece", "GR", List.of("GR"),
        FakeAiralo.pack("kallur-digital-7days-1gb", "sim", "3.60", 1024, 7, false)));
    offers.add(new FakeAiralo.Offer("europe", "Europe", "", List.of("FR", "DE", "GR"),
        FakeAiralo.pack("eurolink-30days-unlimited", "sim", "33.33", 0, 30, true)));
    offers.add(new FakeAiralo.Offer("greece", "Greece", "GR", List.of("GR"),
        FakeAiralo.pack("kallur-digital-topup-1gb", "topup", "2.00", 1024, 7, false)));
    for (int i = 0; i < 150; i++) {
      offers.add(new FakeAiralo.Offer("italy", "Italy", "IT", List.of("IT"),
          FakeAiralo.pack("filler-" + i, "sim", "1.00", 1024, 7, false)));
    }
    airalo.offer(offers);

    List<EsimPlan> marked = supplier.catalog(CatalogPricing.parse("markup:25"));

    assertThat(marked).hasSize(153);
    assertThat(airalo.packagePages()).isEqualTo(2);
    EsimPlan greece = marked.get(0);
    assertThat(greece.id()).isEqualTo("airalo-kallur-digital-7days-1gb");
    assertThat(greece.supplierPackageId()).isEqualTo("kallur-digital-7days-1gb");
    assertThat(greece.price()).isEqualTo(Money.parse("4.50"));
    assertThat(greece.countries()).containsExactly("GR");
    assertThat(greece.region()).isNull();
    assertThat(greece.dataMb()).isEqualTo(1024L);
    assertThat(greece.validityDays()).isEqualTo(7);
    EsimPlan europe = marked.get(1);
    assertThat(europe.region()).isEqualTo("europe");
    assertThat(europe.unlimited()).isTrue();
    assertThat(europe.price()).isEqualTo(Money.parse("41.67")); // 33.33 * 1.25 = 41.6625, rounded up to the cent
    assertThat(marked.get(2).kind()).isEqualTo(EsimPlan.Kind.TOPUP);

    List<EsimPlan> fixed = supplier.catalog(CatalogPricing.parse("fixed:5.00"));
    assertThat(fixed).extracting(EsimPlan::supplierPackageId).doesNotContain("eurolink-30days-unlimited")
        .contains("kallur-digital-7days-1gb");
    assertThat(fixed).extracting(EsimPlan::price).containsOnly(Money.parse("5.00"));
  }
}
