package io.verigate.server.activation;

import static org.assertj.core.api.Assertions.assertThat;

import io.verigate.server.account.Actor;
import io.verigate.server.account.Mode;
import io.verigate.server.account.Principal;
import io.verigate.server.inbound.InboundMessage;
import io.verigate.server.App;
import io.verigate.server.testing.MutableClock;
import io.verigate.server.testing.TestApp;
import io.verigate.server.testing.TestNumbers;
import io.verigate.server.wallet.Money;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A purchase burst far larger than one sweep batch ends all at once: one sweep run settles every activation, each
 * hold exactly once. The node is its own, so the sweep's count is this test's alone.
 */
class SweepBacklogTest {
  private static final int CUSTOMERS = 20;
  private static final int PER_CUSTOMER = 150;
  /** Every tenth activation has its code when the lifetime ends. */
  private static final int CODE_EVERY = 10;
  private static final Money PRICE = Money.parse("0.50");
  private static final Money FUNDS = Money.parse("100.00");

  private final MutableClock clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
  private TestApp app;
  private long sourceId;

  @BeforeEach
  void startNodeWithNumbers() {
    // Each customer holds 150 live activations at once, above the default cap on live activations.
    app = TestApp.start(false, Map.of("activation-lifetime", "20m", "sweep-interval", "1h",
        "default-price", PRICE.toDecimalString(), "max-live-activations", "off"), clock);
    sourceId = app.app().numberSources().create(Actor.SYSTEM, "backlog-gw", "http").source().id();
    List<String> numbers = IntStream.range(0, CUSTOMERS * PER_CUSTOMER)
        .mapToObj(i -> TestNumbers.withLastFour("US", i)).toList();
    app.app().inventory().importNumbers(Actor.SYSTEM, "backlog-gw", null, numbers);
  }

  @AfterEach
  void stopNode() {
    app.close();
  }

  @Test
  void oneSweepSettlesThousandsOfEndedActivationsEachExactlyOnce() {
    List<Principal> buyers = new ArrayList<>();
    int withCode = 0;
    for (int c = 0; c < CUSTOMERS; c++) {
      Principal buyer = app.livePrincipal("backlog-" + c, FUNDS);
      buyers.add(buyer);
      for (int i = 0; i < PER_CUSTOMER; i++) {
        Activation bought = services().activations().purchase(buyer, PurchaseRequest.of("wa", "us"));
        if (i % CODE_EVERY == 0) {
          services().pipeline().accept(new InboundMessage(sourceId, "backlog-" + bought.id(), bought.phone(),
              "WhatsApp", "Your WhatsApp code: 482-913", clock.instant()));
          withCode++;
        }
      }
    }
    int total = CUSTOMERS * PER_CUSTOMER;

    clock.advance(Duration.ofMinutes(20));

    assertThat(services().activations().sweep()).isEqualTo(total);
    assertThat(liveActivations()).isZero();
    assertThat(settlements("EXPIRE")).isEqualTo(total - withCode);
    assertThat(settlements("POST")).isEqualTo(withCode);
    Money charged = Money.ofUnits(PRICE.units() * (PER_CUSTOMER / CODE_EVERY));
    for (Principal buyer : buyers) {
      assertThat(services().wallets().balance(buyer.customerId(), Mode.LIVE).posted()).isEqualTo(FUNDS.minus(charged));
      assertThat(services().wallets().balance(buyer.customerId(), Mode.LIVE).held()).isEqualTo(Money.ZERO);
      assertThat(services().wallets().reconciles(buyer.customerId(), Mode.LIVE)).isTrue();
    }
    assertThat(services().activations().sweep()).isZero();
  }

  private App services() {
    return app.app();
  }


  private int liveActivations() {
    return services().database().withHandle(h -> h.createQuery(
        "SELECT COUNT(*) FROM activation WHERE status IN ('WAITING', 'RECEIVED')").mapTo(Integer.class).one());
  }

  private int settlements(String kind) {
    return services().database().withHandle(h -> h.createQuery(
            "SELECT COUNT(*) FROM ledger_entry WHERE kind = :k AND resolves_hold IS NOT NULL")
        .bind("k", kind).mapTo(Integer.class).one());
  }
}
