package io.verigate.server.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.verigate.server.account.ApiKeys;
import io.verigate.server.account.Actor;
import io.verigate.server.account.Mode;
import io.verigate.server.account.Principal;
import io.verigate.server.activation.Activation;
import io.verigate.server.activation.ActivationService;
import io.verigate.server.activation.PurchaseRequest;
import io.verigate.server.http.support.Json;
import io.verigate.server.system.ErrorCode;
import io.verigate.server.system.Failure;
import io.verigate.server.testing.TestApp;
import io.verigate.server.wallet.Money;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.Test;

/** Allocation on PostgreSQL: per-service history and bans are honoured, and concurrent buyers skip locked rows. */
class AllocationIT {
  private static TestApp app;

  @BeforeAll
  static void startNode() {
    // No early-cancel guard, so the test can give a number back right after buying it.
    app = TestApp.startOnPostgres(Map.of("early-cancel-guard", "0s"));
    app.app().numberSources().create(Actor.SYSTEM, "allocation-gw", "http");
  }

  @AfterAll
  static void stopNode() {
    app.close();
  }

  @Test
  void neverHandsOutANumberAlreadyUsedOrBannedForTheService() {
    importNumbers(List.of("+12025550101", "+12025550102", "+12025550103"));
    Principal buyer = liveCustomer("allocation");
    ActivationService activations = app.app().activations();

    Activation banned = activations.purchase(buyer, PurchaseRequest.of("wa", "us"));
    activations.reportBanned(buyer, banned.id());
    Activation canceled = activations.purchase(buyer, PurchaseRequest.of("wa", "us"));
    activations.cancel(buyer, canceled.id());
    Activation live = activations.purchase(buyer, PurchaseRequest.of("wa", "us"));

    assertThat(List.of(banned.phone(), canceled.phone(), live.phone())).doesNotHaveDuplicates();
    assertRefused(() -> activations.purchase(buyer, PurchaseRequest.of("wa", "us")), ErrorCode.NO_NUMBERS);

    // Use and bans are per service: both returned numbers serve Telegram, the leased one does not.
    Activation firstTelegram = activations.purchase(buyer, PurchaseRequest.of("tg", "us"));
    Activation secondTelegram = activations.purchase(buyer, PurchaseRequest.of("tg", "us"));
    assertThat(List.of(firstTelegram.phone(), secondTelegram.phone()))
        .containsExactlyInAnyOrder(banned.phone(), canceled.phone());
    assertRefused(() -> activations.purchase(buyer, PurchaseRequest.of("tg", "us")), ErrorCode.NO_NUMBERS);
  }

  @Test
  void aSecondTransactionSkipsTheNumberTheFirstHoldsLocked() throws Exception {
    importNumbers(List.of("+442079460101", "+442079460102"));
    ExecutorService other = Executors.newSingleThreadExecutor();
    try {
      ReservedNumber[] both = app.app().database().inTransaction(h -> {
        ReservedNumber mine = reserveGbNumber(h);
        // While this transaction holds its row lock, another connection allocates. Without SKIP LOCKED it
        // would queue behind us (and here, with us waiting for it, never return); lock_timeout turns that into an error.
        Future<ReservedNumber> theirs = other.submit(() -> app.app().database().inTransaction(h2 -> {
          h2.execute("SET LOCAL lock_timeout = '5s'");
          return reserveGbNumber(h2);
        }));
        return new ReservedNumber[] {mine, join(theirs)};
      });

      assertThat(both[1].id()).isNotEqualTo(both[0].id());
    } finally {
      other.shutdownNow();
    }
  }

  /**
   * Selling a number must not make the next sale slower: the allocation goes straight to the free numbers through
   * their partial index, instead of walking every number sold before (which cost milliseconds per purchase), and
   * checks each candidate's use for the service by its key, instead of reading the service's whole use history
   * (which PostgreSQL chose while its statistics still saw that history small, as on any node that began empty).
   */
  @Test
  void allocationReadsAHandfulOfPagesHoweverManyNumbersWereSold() throws Exception {
    app.app().database().withHandle(h -> h.execute("ANALYZE number_use"));
    app.app().database().inTransaction(h -> {
      h.execute("INSERT INTO phone_number (e164, country, operator, source_id, mode, created_at) "
          + "SELECT '+3531' || (40000000 + g), 'IE', 'any', (SELECT id FROM number_source WHERE name = 'allocation-gw'), "
          + "'live', now() FROM generate_series(1, 20000) g");
      // The first 15,000 are sold, as after a day of business.
      h.execute("UPDATE phone_number SET active_activation_id = -id WHERE country = 'IE' AND id IN "
          + "(SELECT id FROM phone_number WHERE country = 'IE' ORDER BY id LIMIT 15000)");
      h.execute("INSERT INTO number_use (number_id, service, activation_id, used_at) "
          + "SELECT id, 'wa', -id, now() FROM phone_number WHERE country = 'IE' AND active_activation_id IS NOT NULL");
      return null;
    });
    app.app().database().withHandle(h -> h.execute("VACUUM ANALYZE phone_number"));

    String plan = app.app().database().inTransaction(h -> h.createQuery(
            "EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) " + Inventory.allocation("any", 0, true))
        .bind("mode", "live").bind("country", "IE").bind("service", "wa").mapTo(String.class).one());
    JsonNode root = Json.MAPPER.readTree(plan).get(0).get("Plan");
    long pages = root.get("Shared Hit Blocks").asLong() + root.get("Shared Read Blocks").asLong();

    assertThat(pages).as("pages read by one allocation after 15,000 sales").isLessThan(50);
  }

  /**
   * Sold numbers stay in the free numbers' index until VACUUM: the search starts past the last number sold for the
   * service, so it does not step over them, and a free number it passed is still sold once none is left past it.
   */
  @Test
  void theSearchStartsPastTheLastSaleAndComesBackForANumberItPassed() {
    app.app().inventory().importNumbers(Actor.SYSTEM, "allocation-gw", null,
        List.of("+351912000001", "+351912000002", "+351912000003"));
    ReservedNumber first = app.app().database().inTransaction(AllocationIT::sellPtNumber);
    ReservedNumber second = app.app().database().inTransaction(AllocationIT::sellPtNumber);
    app.app().database().withHandle(h -> h.createUpdate("UPDATE phone_number SET active_activation_id = NULL "
        + "WHERE id = :id").bind("id", first.id()).execute());
    ReservedNumber rolledBack = app.app().database().inTransaction(h -> {
      ReservedNumber taken = reservePtNumber(h);
      h.rollback();
      return taken;
    });
    ReservedNumber third = app.app().database().inTransaction(AllocationIT::sellPtNumber);
    ReservedNumber again = app.app().database().inTransaction(AllocationIT::sellPtNumber);

    assertThat(List.of(first.e164(), second.e164(), rolledBack.e164(), third.e164(), again.e164()))
        .as("past the last sale first (a sale that rolled back moves nothing), then the number given back")
        .containsExactly("+351912000001", "+351912000002", "+351912000003", "+351912000003", "+351912000001");
  }

  @Test
  void theSearchPastTheLastSaleReadsAHandfulOfPagesBeforeAnyVacuum() throws Exception {
    app.app().database().inTransaction(h -> {
      h.execute("INSERT INTO phone_number (e164, country, operator, source_id, mode, created_at) "
          + "SELECT '+3546' || (1000000 + g), 'IS', 'any', (SELECT id FROM number_source WHERE name = 'allocation-gw'), "
          + "'live', now() + g * interval '1 millisecond' FROM generate_series(1, 20000) g");
      return null;
    });
    app.app().database().withHandle(h -> h.execute("VACUUM ANALYZE phone_number"));
    // 15,000 sales since the last vacuum.
    Map<String, Object> last = app.app().database().inTransaction(h -> {
      h.execute("UPDATE phone_number SET active_activation_id = -id WHERE country = 'IS' AND id IN "
          + "(SELECT id FROM phone_number WHERE country = 'IS' ORDER BY created_at, id LIMIT 15000)");
      return h.createQuery("SELECT id, created_at FROM phone_number WHERE country = 'IS' "
          + "AND active_activation_id IS NOT NULL ORDER BY created_at DESC, id DESC LIMIT 1").mapToMap().one();
    });

    long fromStart = pagesRead(Inventory.allocation("any", 0, true), last);
    long pastCursor = pagesRead(Inventory.allocationPastCursor("any", 0), last);

    assertThat(fromStart).as("pages a search from the start reads").isGreaterThan(50);
    assertThat(pastCursor).as("pages the search past the last sale reads").isLessThan(20);
  }

  private static long pagesRead(String allocation, Map<String, Object> past) throws Exception {
    String plan = app.app().database().inTransaction(h -> h.createQuery("EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) "
            + allocation)
        .bind("mode", "live").bind("country", "IS").bind("service", "wa")
        .bind("pastAt", past.get("created_at")).bind("pastId", past.get("id"))
        .mapTo(String.class).one());
    JsonNode root = Json.MAPPER.readTree(plan).get(0).get("Plan");
    return root.get("Shared Hit Blocks").asLong() + root.get("Shared Read Blocks").asLong();
  }

  private static ReservedNumber reservePtNumber(Handle h) {
    return app.app().inventory().reserve(h, Mode.LIVE, "PT", "any", "wa", List.of())
        .orElseThrow(() -> new AssertionError("no free PT number"));
  }

  private static ReservedNumber sellPtNumber(Handle h) {
    ReservedNumber taken = reservePtNumber(h);
    h.createUpdate("UPDATE phone_number SET active_activation_id = -id WHERE id = :id").bind("id", taken.id())
        .execute();
    return taken;
  }

  private static ReservedNumber reserveGbNumber(Handle h) {
    return app.app().inventory().reserve(h, Mode.LIVE, "GB", "any", "wa", List.of())
        .orElseThrow(() -> new AssertionError("no free GB number"));
  }

  private static <T> T join(Future<T> future) {
    try {
      return future.get();
    } catch (ExecutionException e) {
      throw new AssertionError("the concurrent allocation failed instead of skipping the locked row", e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  private static void assertRefused(Runnable purchase, ErrorCode expected) {
    assertThatThrownBy(purchase::run)
        .isInstanceOfSatisfying(Failure.class, f -> assertThat(f.code()).isEqualTo(expected));
  }

  private static void importNumbers(List<String> numbers) {
    assertThat(app.app().inventory().importNumbers(Actor.SYSTEM, "allocation-gw", null, numbers).added()).isEqualTo(numbers.size());
  }

  private static Principal liveCustomer(String name) {
    long customer = app.app().accounts().createCustomer(Actor.SYSTEM, name).id();
    String key = app.app().keys().issue(Actor.SYSTEM, customer, ApiKeys.NewKey.unrestricted(Mode.LIVE, "allocation test")).secret();
    app.app().wallets().credit(Actor.SYSTEM, customer, Mode.LIVE, Money.parse("10.00"), "test funds");
    return app.principal(key);
  }
}
