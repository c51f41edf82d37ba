package io.verigate.server.activation;

import static org.assertj.core.api.Assertions.assertThat;

import io.verigate.server.account.Actor;
import io.verigate.server.account.Mode;
import io.verigate.server.account.Principal;
import io.verigate.server.App;
import io.verigate.server.testing.MutableClock;
import io.verigate.server.testing.TestApp;
import io.verigate.server.testing.TestNumbers;
import io.verigate.server.wallet.Money;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two nodes on one PostgreSQL database sweep the same backlog at the same moment: every ended activation is settled
 * by exactly one of them, and their batches, which share every wallet, never deadlock.
 */
class ConcurrentSweepIT {
  private static final int CUSTOMERS = 5;
  private static final int PER_CUSTOMER = 200;
  private static final Money PRICE = Money.parse("0.50");
  private static final Money FUNDS = Money.parse("100.00");
  /** Each customer holds 200 live activations at once, above the default cap on live activations. */
  private static final Map<String, String> CONFIG = Map.of("activation-lifetime", "20m", "sweep-interval", "1h",
      "default-price", PRICE.toDecimalString(), "max-live-activations", "off");

  /** The purchases happen an hour ago, so their lifetimes are over for both nodes' clocks. */
  private final MutableClock anHourAgo = new MutableClock(Instant.now().minus(Duration.ofHours(1)));
  private TestApp first;
  private TestApp second;

  @BeforeEach
  void startTwoNodes() {
    first = TestApp.start(true, CONFIG, anHourAgo);
    second = first.anotherNode(CONFIG);
    first.app().numberSources().create(Actor.SYSTEM, "sweep-gw", "http");
    List<String> numbers = IntStream.range(0, CUSTOMERS * PER_CUSTOMER)
        .mapToObj(i -> TestNumbers.withLastFour("US", i)).toList();
    first.app().inventory().importNumbers(Actor.SYSTEM, "sweep-gw", null, numbers);
  }

  @AfterEach
  void stopNodes() {
    second.close();
    first.close();
  }

  @Test
  void twoNodesSweepingAtOnceSettleEachActivationOnce() throws Exception {
    List<Principal> buyers = new ArrayList<>();
    for (int c = 0; c < CUSTOMERS; c++) {
      Principal buyer = first.livePrincipal("swept-" + c, FUNDS);
      buyers.add(buyer);
      for (int i = 0; i < PER_CUSTOMER; i++) {
        services().activations().purchase(buyer, PurchaseRequest.of("wa", "us"));
      }
    }
    anHourAgo.advance(Duration.ofMinutes(30));

    int ended = sweepOnBothNodesAtOnce();

    assertThat(ended).isEqualTo(CUSTOMERS * PER_CUSTOMER);
    assertThat(expiredHolds()).isEqualTo(CUSTOMERS * PER_CUSTOMER);
    for (Principal buyer : buyers) {
      assertThat(services().wallets().balance(buyer.customerId(), Mode.LIVE).held()).isEqualTo(Money.ZERO);
      assertThat(services().wallets().reconciles(buyer.customerId(), Mode.LIVE)).isTrue();
    }
  }

  private int sweepOnBothNodesAtOnce() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<Integer>> sweeps = new ArrayList<>();
      for (TestApp node : List.of(first, second)) {
        sweeps.add(pool.submit(() -> {
          start.await();
          return node.app().activations().sweep();
        }));
      }
      start.countDown();
      int ended = 0;
      for (Future<Integer> sweep : sweeps) {
        ended += sweep.get();
      }
      return ended;
    } finally {
      pool.shutdownNow();
    }
  }

  private App services() {
    return first.app();
  }


  private int expiredHolds() {
    return services().database().withHandle(h -> h.createQuery(
        "SELECT COUNT(*) FROM ledger_entry WHERE kind = 'EXPIRE' AND resolves_hold IS NOT NULL")
        .mapTo(Integer.class).one());
  }
}
