package io.verigate.server.esim;

import static io.verigate.server.esim.EsimTestSupport.plan;
import static io.verigate.server.esim.EsimTestSupport.planId;
import static io.verigate.server.esim.EsimTestSupport.planWithStock;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.verigate.server.account.Mode;
import io.verigate.server.account.Principal;
import io.verigate.server.system.ErrorCode;
import io.verigate.server.system.Failure;
import io.verigate.server.testing.TestApp;
import io.verigate.server.wallet.Balance;
import io.verigate.server.wallet.LedgerEntry;
import io.verigate.server.wallet.Money;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * What eSIM orders promise, on H2 ({@link EsimOrderTest}) and on PostgreSQL ({@link EsimOrderIT}), where profiles are
 * claimed with {@code FOR UPDATE SKIP LOCKED}: an order is charged once (hold and post together) and a repeat under
 * its Idempotency-Key charges nothing more, even when the repeats race; 100 orders at once against 20 profiles sell
 * exactly 20, no profile twice, and charge only those; a refused order charges nothing. The ledger reconciles after
 * each.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class EsimOrderContract {
  private TestApp app;
  private Esims esims;

  abstract TestApp startApp();

  @BeforeAll
  void start() {
    app = startApp();
    esims = app.app().esims();
  }

  @AfterAll
  void stop() {
    app.close();
  }

  @Test
  void anOrderIsChargedOnceAndItsRepeatsUnderOneKeyReturnItEvenWhenTheyRace() throws Exception {
    String plan = planId("pg-gr-1gb");
    planWithStock(app, plan, plan("Greece 1 GB", "GR", 1024L, 7, "4.50"), 10);
    Principal customer = app.livePrincipal("pg esim once", Money.parse("20.00"));

    List<EsimOrder> orders = race(10, () -> esims.order(customer, plan, 4, "trip-to-athens", "same-body"));

    assertThat(orders).extracting(EsimOrder::id).containsOnly(orders.get(0).id());
    assertThat(orders.get(0).esims()).hasSize(4);
    assertThat(balance(customer)).isEqualTo(new Balance(balance(customer).walletId(), Money.parse("2.00"), Money.ZERO));
    List<LedgerEntry> entries = app.app().wallets().history(customer.customerId(), Mode.LIVE, Long.MAX_VALUE, 10);
    assertThat(entries).filteredOn(e -> e.kind() == LedgerEntry.Kind.POST).hasSize(1);
    assertThat(entries).filteredOn(e -> e.kind() == LedgerEntry.Kind.HOLD).hasSize(1);
    assertThatThrownBy(() -> esims.order(customer, plan, 1, "trip-to-athens", "another-body"))
        .isInstanceOf(Failure.class).extracting(e -> ((Failure) e).code()).isEqualTo(ErrorCode.IDEMPOTENCY_KEY_REUSED);
    assertThat(app.app().wallets().reconciles(customer.customerId(), Mode.LIVE)).isTrue();
  }

  @Test
  void aHundredOrdersAtOnceAgainstTwentyProfilesSellExactlyTwentyNeverOneTwice() throws Exception {
    String plan = planId("pg-gr-rush");
    List<String> stock = planWithStock(app, plan, plan("Greece 1 GB", "GR", 1024L, 7, "4.50"), 20);
    Principal customer = app.livePrincipal("pg esim rush", Money.parse("1000.00"));

    List<Object> outcomes = race(100, () -> {
      try {
        return esims.order(customer, plan, 1, null, null);
      } catch (Failure refused) {
        return refused.code();
      }
    });

    List<EsimOrder> sold = outcomes.stream().filter(EsimOrder.class::isInstance).map(EsimOrder.class::cast).toList();
    List<String> iccids = sold.stream().flatMap(o -> o.esims().stream()).map(e -> e.profile().iccid()).toList();
    assertThat(sold).hasSize(20);
    assertThat(outcomes).filteredOn(ErrorCode.class::isInstance).hasSize(80).containsOnly(ErrorCode.ESIM_OUT_OF_STOCK);
    assertThat(new HashSet<>(iccids)).hasSize(20).containsExactlyInAnyOrderElementsOf(stock);
    assertThat(balance(customer).available()).isEqualTo(Money.parse("910.00"));
    assertThat(balance(customer).held()).isEqualTo(Money.ZERO);
    assertThat(app.app().wallets().reconciles(customer.customerId(), Mode.LIVE)).isTrue();
  }

  @Test
  void aRefusedOrderChargesNothingAndLeavesTheStockFree() {
    String plan = planId("pg-gr-refused");
    planWithStock(app, plan, plan("Greece 1 GB", "GR", 1024L, 7, "4.50"), 2);
    Principal poor = app.livePrincipal("pg esim poor", Money.parse("8.00"));

    assertThatThrownBy(() -> esims.order(poor, plan, 2, null, null)).isInstanceOf(Failure.class)
        .extracting(e -> ((Failure) e).code()).isEqualTo(ErrorCode.NO_BALANCE);
    assertThatThrownBy(() -> esims.order(poor, plan, 3, null, null)).isInstanceOf(Failure.class)
        .extracting(e -> ((Failure) e).code()).isIn(ErrorCode.ESIM_OUT_OF_STOCK, ErrorCode.NO_BALANCE);

    assertThat(balance(poor).available()).isEqualTo(Money.parse("8.00"));
    assertThat(balance(poor).held()).isEqualTo(Money.ZERO);
    assertThat(esims.order(poor, plan, 1, null, null).esims()).hasSize(1);
    assertThat(balance(poor).available()).isEqualTo(Money.parse("3.50"));
    assertThat(app.app().wallets().reconciles(poor.customerId(), Mode.LIVE)).isTrue();
  }

  private Balance balance(Principal customer) {
    return app.app().wallets().balance(customer.customerId(), Mode.LIVE);
  }

  /** Runs {@code count} calls at once (released together) and returns their results. */
  private static <T> List<T> race(int count, Callable<T> call) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(count);
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<T>> futures = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        futures.add(pool.submit(() -> {
          go.await();
          return call.call();
        }));
      }
      go.countDown();
      List<T> results = new ArrayList<>();
      for (Future<T> future : futures) {
        results.add(future.get());
      }
      return results;
    } finally {
      pool.shutdownNow();
    }
  }
}
