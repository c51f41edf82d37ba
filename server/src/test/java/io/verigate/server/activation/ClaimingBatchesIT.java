package io.verigate.server.activation;

import static org.assertj.core.api.Assertions.assertThat;

import io.verigate.server.account.Mode;
import io.verigate.server.account.Principal;
import io.verigate.server.system.ErrorCode;
import io.verigate.server.system.Failure;
import io.verigate.server.testing.AtOnce;
import io.verigate.server.testing.TestApp;
import io.verigate.server.wallet.Money;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Concurrent live purchases on PostgreSQL that claim from the same numbers share one statement and one commit
 * ({@link ClaimingBatches}): with two pooled connections and 48 buyers at once, batches must form. Each purchase of a
 * batch is written as a purchase on its own is, on its own wallet; a wallet that cannot pay for all of its purchases
 * in a batch has them made one by one, and the money still decides exactly how many succeed.
 */
class ClaimingBatchesIT {
  private static final Money PRICE = Money.parse("1.00");
  private static TestApp app;
  private static TestApp.Source source;

  @BeforeAll
  static void startNode() {
    app = TestApp.startOnPostgres(Map.of("default-price", PRICE.toDecimalString(), "db-pool-size", "2"));
    source = app.createSource();
  }

  @AfterAll
  static void stopNode() {
    app.close();
  }

  @Test
  void concurrentPurchasesOfSeveralCustomersShareStatementsAndEachIsWrittenAsItsOwn() throws Exception {
    List<String> stocked = app.stock(source.name(), "NL", null, 40);
    Principal first = app.livePrincipal("batch-a", Money.parse("100.00"));
    Principal second = app.livePrincipal("batch-b", Money.parse("100.00"));
    Principal poor = app.livePrincipal("batch-poor", Money.parse("3.00"));
    List<Principal> buyers = new ArrayList<>();
    for (int i = 0; i < 16; i++) {
      buyers.addAll(List.of(first, second, poor));
    }
    Collections.shuffle(buyers);

    List<Object> outcomes = AtOnce.outcomes(buyers.size(),
        i -> app.app().activations().purchase(buyers.get(i), PurchaseRequest.of("wa", "nl")));

    List<Activation> bought = outcomes.stream().filter(Activation.class::isInstance).map(Activation.class::cast)
        .toList();
    assertThat(outcomes).filteredOn(Failure.class::isInstance).extracting(o -> ((Failure) o).code())
        .as("the poor customer's purchases beyond its money").hasSize(13).containsOnly(ErrorCode.NO_BALANCE);
    assertThat(bought).extracting(Activation::customerId).filteredOn(id -> id == poor.customerId()).hasSize(3);
    assertThat(bought).hasSize(35).extracting(Activation::phone).doesNotHaveDuplicates().isSubsetOf(stocked);
    assertThat(app.app().wallets().balance(first.customerId(), Mode.LIVE).available())
        .isEqualTo(Money.parse("84.00"));
    assertThat(app.app().wallets().balance(poor.customerId(), Mode.LIVE).available()).isEqualTo(Money.ZERO);
    for (Principal buyer : List.of(first, second, poor)) {
      assertThat(app.app().wallets().reconciles(buyer.customerId(), Mode.LIVE)).isTrue();
    }
    for (Activation activation : bought) {
      assertThat(written(activation)).as("activation %d as the database holds it", activation.id())
          .isEqualTo(List.of(activation.phone(), activation.customerId(), 1L, activation.id(),
              "{\"activationId\":" + activation.id() + ",\"status\":\"WAITING\",\"phone\":\"" + activation.phone()
                  + "\",\"service\":\"wa\",\"country\":\"NL\",\"operator\":\"any\",\"price\":\"1.00\"}"));
    }
    List<List<Long>> transactions = app.app().database().withHandle(h -> h.createQuery("SELECT count(*), "
            + "min(id) - min(xact_id::text::bigint) * 65536, max(id) - min(id) FROM event "
            + "WHERE type = 'activation.created' AND customer_id IN (<customers>) GROUP BY xact_id")
        .bindList("customers", List.of(first.customerId(), second.customerId(), poor.customerId()))
        .map((rs, ctx) -> List.of(rs.getLong(1), rs.getLong(2), rs.getLong(3))).list());
    assertThat(transactions).as("transactions that opened the 35 purchases").hasSizeLessThan(35)
        .allSatisfy(events -> assertThat(events.subList(1, 3))
            .as("each transaction's events are stamped from its first id on, one after another")
            .isEqualTo(List.of(0L, events.get(0) - 1)));
  }

  @Test
  void purchasesBeyondTheFreeNumbersAreRefusedAndNoNumberIsSoldTwice() throws Exception {
    List<String> stocked = app.stock(source.name(), "BE", null, 10);
    Principal buyer = app.livePrincipal("batch-many", Money.parse("100.00"));

    List<Object> outcomes = AtOnce.outcomes(32,
        i -> app.app().activations().purchase(buyer, PurchaseRequest.of("wa", "be")));

    assertThat(outcomes).filteredOn(Activation.class::isInstance).extracting(o -> ((Activation) o).phone())
        .hasSize(10).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(stocked);
    assertThat(outcomes).filteredOn(Failure.class::isInstance).extracting(o -> ((Failure) o).code())
        .hasSize(22).containsOnly(ErrorCode.NO_NUMBERS);
    assertThat(app.app().wallets().balance(buyer.customerId(), Mode.LIVE).available())
        .isEqualTo(Money.parse("90.00"));
    assertThat(app.app().wallets().reconciles(buyer.customerId(), Mode.LIVE)).isTrue();
  }

  /** The number, customer, hold amount (in whole units), lease and event of an activation, as the database has them. */
  private static List<Object> written(Activation activation) {
    return app.app().database().withHandle(h -> h.createQuery("SELECT a.phone, a.customer_id, e.amount / 10000, "
            + "p.active_activation_id, ev.data FROM activation a "
            + "JOIN ledger_entry e ON e.id = a.hold_id AND e.kind = 'HOLD' "
            + "JOIN wallet w ON w.id = e.wallet_id AND w.customer_id = a.customer_id AND w.mode = 'live' "
            + "JOIN phone_number p ON p.id = a.number_id "
            + "JOIN number_use u ON u.number_id = a.number_id AND u.service = a.service AND u.activation_id = a.id "
            + "JOIN event ev ON ev.activation_id = a.id AND ev.type = 'activation.created' WHERE a.id = :id")
        .bind("id", activation.id())
        .map((rs, ctx) -> List.<Object>of(rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getInt(4),
            rs.getString(5)))
        .findOne().orElse(List.of()));
  }
}
