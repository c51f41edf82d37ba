package io.verigate.server.activation;

import static org.assertj.core.api.Assertions.assertThat;

import io.verigate.server.account.Actor;
import io.verigate.server.account.Mode;
import io.verigate.server.account.Principal;
import io.verigate.server.App;
import io.verigate.server.system.ErrorCode;
import io.verigate.server.system.Failure;
import io.verigate.server.testing.TestApp;
import io.verigate.server.wallet.Balance;
import io.verigate.server.wallet.Money;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Many buyers at the same instant, on PostgreSQL: the wallet's conditional update must let exactly as many
 * holds through as the balance affords, and {@code SKIP LOCKED} allocation must hand each number to one
 * buyer only. Each scenario uses its own customer and country, so they share one node.
 */
class ConcurrentPurchaseIT {
  private static final int THREADS = 32;
  private static final Money PRICE = Money.parse("1.00");

  private static TestApp app;

  @BeforeAll
  static void startNode() {
    app = TestApp.startOnPostgres(Map.of("default-price", PRICE.toDecimalString(), "db-pool-size", "16"));
    app.app().numberSources().create(Actor.SYSTEM, "concurrency-gw", "http");
  }

  @AfterAll
  static void stopNode() {
    app.close();
  }

  @Test
  void twoHundredBuyersOnAWalletThatAffordsFiftyGetExactlyFiftyNumbers() throws Exception {
    importNumbers(IntStream.range(0, 200).mapToObj(i -> String.format("+1415555%04d", i)).toList());
    Principal buyer = app.livePrincipal("affords-fifty", Money.parse("50.00"));
    BalanceWatch watch = new BalanceWatch(buyer);

    List<Outcome> outcomes = watch.during(() -> purchaseInParallel(buyer, PurchaseRequest.of("wa", "us"), 200));

    assertThat(outcomes).filteredOn(Outcome::succeeded).hasSize(50);
    assertThat(outcomes).filteredOn(o -> !o.succeeded()).extracting(Outcome::refusal)
        .hasSize(150).containsOnly(ErrorCode.NO_BALANCE);
    assertThat(watch.negativeSeen()).as("available balance observed below zero during the run").isFalse();
    Balance cached = services().wallets().balance(buyer.customerId(), Mode.LIVE);
    assertThat(services().wallets().reconciles(buyer.customerId(), Mode.LIVE)).as("cached balance equals its entries").isTrue();
    assertThat(cached.posted()).isEqualTo(Money.parse("50.00"));
    assertThat(cached.held()).isEqualTo(Money.parse("50.00"));
    assertThat(cached.available()).isEqualTo(Money.ZERO);
    assertThat(outcomes).filteredOn(Outcome::succeeded).extracting(o -> o.activation().phone()).doesNotHaveDuplicates();
    assertThat(unreferencedRows())
        .as("entries without their wallet; activations without their customer, number or hold; uses without their number")
        .isZero();
    // A purchase refused at its last statement (the wallet) rolled back everything it wrote before it.
    assertThat(services().activations().page(buyer, 0, 500, false).total()).isEqualTo(50);
    assertThat(leasedNumbers()).as("numbers leased to this buyer's activations").isEqualTo(50);
  }

  private static long leasedNumbers() {
    return services().database().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM phone_number p "
            + "JOIN activation a ON a.id = p.active_activation_id WHERE p.e164 LIKE '+1415555%'")
        .mapTo(Long.class).one());
  }

  /**
   * PostgreSQL keeps no foreign keys from a purchase's rows (to hot wallet and customer rows, and to the number and
   * hold the same statement locks or writes): the writes must be right alone.
   */
  private static long unreferencedRows() {
    return services().database().withHandle(h -> h.createQuery("SELECT "
            + "(SELECT COUNT(*) FROM ledger_entry e "
            + "WHERE NOT EXISTS (SELECT 1 FROM wallet w WHERE w.id = e.wallet_id)) + "
            + "(SELECT COUNT(*) FROM activation a "
            + "WHERE NOT EXISTS (SELECT 1 FROM customer c WHERE c.id = a.customer_id)) + "
            + "(SELECT COUNT(*) FROM activation a "
            + "WHERE NOT EXISTS (SELECT 1 FROM phone_number p WHERE p.id = a.number_id)) + "
            + "(SELECT COUNT(*) FROM activation a WHERE NOT EXISTS (SELECT 1 FROM ledger_entry e WHERE e.id = a.hold_id "
            + "AND e.kind = 'HOLD' AND e.wallet_id = (SELECT id FROM wallet w WHERE w.customer_id = a.customer_id "
            + "AND w.mode = a.mode))) + "
            + "(SELECT COUNT(*) FROM number_use u "
            + "WHERE NOT EXISTS (SELECT 1 FROM phone_number p WHERE p.id = u.number_id))")
        .mapTo(Long.class).one());
  }

  @Test
  void aHundredBuyersForTwentyFreeNumbersGetEachNumberOnce() throws Exception {
    List<String> stock = IntStream.range(0, 20).mapToObj(i -> String.format("+44207946%04d", i)).toList();
    importNumbers(stock);
    Principal buyer = app.livePrincipal("twenty-numbers", Money.parse("1000.00"));

    List<Outcome> outcomes = purchaseInParallel(buyer, PurchaseRequest.of("tg", "gb"), 100);

    List<String> phones = outcomes.stream().filter(Outcome::succeeded).map(o -> o.activation().phone()).toList();
    assertThat(phones).hasSize(20).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(stock);
    assertThat(outcomes).filteredOn(o -> !o.succeeded()).extracting(Outcome::refusal)
        .hasSize(80).containsOnly(ErrorCode.NO_NUMBERS);
    Balance balance = services().wallets().balance(buyer.customerId(), Mode.LIVE);
    assertThat(balance.held()).isEqualTo(Money.parse("20.00"));
    assertThat(services().wallets().reconciles(buyer.customerId(), Mode.LIVE)).isTrue();
  }

  /** A purchase's result: the activation, or the stable code it was refused with. */
  private record Outcome(Activation activation, ErrorCode refusal) {
    boolean succeeded() {
      return activation != null;
    }
  }

  /** Releases {@code buyers} purchases at once from a pool of threads; any error other than a refusal fails the test. */
  private static List<Outcome> purchaseInParallel(Principal buyer, PurchaseRequest request, int buyers) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    CountDownLatch start = new CountDownLatch(1);
    try {
      List<Future<Outcome>> futures = new ArrayList<>();
      for (int i = 0; i < buyers; i++) {
        futures.add(pool.submit(() -> {
          start.await();
          try {
            return new Outcome(services().activations().purchase(buyer, request), null);
          } catch (Failure refused) {
            return new Outcome(null, refused.code());
          }
        }));
      }
      start.countDown();
      List<Outcome> outcomes = new ArrayList<>();
      for (Future<Outcome> f : futures) {
        outcomes.add(f.get());
      }
      return outcomes;
    } finally {
      pool.shutdownNow();
    }
  }

  /** Reads the wallet row over and over while purchases run, remembering whether available ever dipped below zero. */
  private static final class BalanceWatch {
    private final Principal owner;
    private final AtomicBoolean negativeSeen = new AtomicBoolean();

    BalanceWatch(Principal owner) {
      this.owner = owner;
    }

    <T> T during(Callable<T> work) throws Exception {
      AtomicBoolean done = new AtomicBoolean();
      ExecutorService watcher = Executors.newSingleThreadExecutor();
      try {
        Future<?> watching = watcher.submit(() -> {
          do {
            if (services().wallets().balance(owner.customerId(), Mode.LIVE).available().isNegative()) {
              negativeSeen.set(true);
            }
          } while (!done.get());
        });
        T result = work.call();
        done.set(true);
        watching.get();
        return result;
      } finally {
        done.set(true);
        watcher.shutdownNow();
      }
    }

    boolean negativeSeen() {
      return negativeSeen.get();
    }
  }

  private static void importNumbers(List<String> numbers) {
    assertThat(services().inventory().importNumbers(Actor.SYSTEM, "concurrency-gw", null, numbers).added()).isEqualTo(numbers.size());
  }


  private static App services() {
    return app.app();
  }
}
