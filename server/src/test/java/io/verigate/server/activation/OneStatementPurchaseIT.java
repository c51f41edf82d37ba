package io.verigate.server.activation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.verigate.server.account.Actor;
import io.verigate.server.account.Mode;
import io.verigate.server.account.Principal;
import io.verigate.server.notify.WebhookFormat;
import io.verigate.server.notify.WebhookOwner;
import io.verigate.server.notify.Webhooks;
import io.verigate.server.system.ErrorCode;
import io.verigate.server.system.EventLog;
import io.verigate.server.system.Failure;
import io.verigate.server.testing.Eventually;
import io.verigate.server.testing.TestApp;
import io.verigate.server.wallet.Money;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A live purchase on PostgreSQL locks its number and a shard of the wallet with room, and writes the number's lease,
 * hold, activation, event and the shard, in one statement ({@link SingleStatementOpening}), committed with it unless
 * the transaction has more to write (then the locks and the writes are statements of their own). Each way through it
 * leaves what the statement-per-write path leaves: the same event text, a ledger that reconciles, a lease.
 */
class OneStatementPurchaseIT {
  private static final Money PRICE = Money.parse("1.00");
  private static TestApp app;
  private static TestApp.Source source;

  @BeforeAll
  static void startNode() {
    app = TestApp.startOnPostgres(Map.of("default-price", PRICE.toDecimalString(), "webhook-allow-private", "true"));
    source = app.createSource();
  }

  @AfterAll
  static void stopNode() {
    app.close();
  }

  @Test
  void aPurchaseLeasesItsNumberHoldsItsPriceAndLogsTheSameEventAsEveryOtherPath() {
    String number = app.stock(source.name(), "GB", null, 1).get(0);
    Principal buyer = app.livePrincipal("one-statement", Money.parse("5.00"));

    Activation bought = app.app().activations().purchase(buyer, PurchaseRequest.of("wa", "gb"));

    assertThat(bought.phone()).isEqualTo(number);
    assertThat(app.app().wallets().balance(buyer.customerId(), Mode.LIVE).available()).isEqualTo(Money.parse("4.00"));
    assertThat(app.app().wallets().reconciles(buyer.customerId(), Mode.LIVE)).isTrue();
    assertThat(app.app().database().<List<Object>>withHandle(h -> h.createQuery("SELECT hold_id, phone, operator, created_at, "
            + "expires_at FROM activation WHERE id = :id").bind("id", bought.id())
        .map((rs, ctx) -> List.<Object>of(rs.getLong("hold_id"), rs.getString("phone"), rs.getString("operator"),
            rs.getObject("created_at", OffsetDateTime.class).toInstant(),
            rs.getObject("expires_at", OffsetDateTime.class).toInstant()))
        .one()))
        .as("what the purchase answered is what the database holds")
        .containsExactly(bought.holdId(), number, "any", bought.createdAt(), bought.expiresAt());
    List<EventLog.Event> events = Eventually.within(Duration.ofSeconds(5), "the event is readable",
        () -> app.app().events().after(buyer.customerId(), false, 0, Set.of("activation.created"), null, 10),
        list -> !list.isEmpty());
    assertThat(events).singleElement().satisfies(event -> {
      assertThat(event.type()).isEqualTo("activation.created");
      assertThat(event.activationId()).isEqualTo((long) bought.id());
      assertThat(event.data()).isEqualTo("{\"activationId\":" + bought.id() + ",\"status\":\"WAITING\",\"phone\":\""
          + number + "\",\"service\":\"wa\",\"country\":\"GB\",\"operator\":\"any\",\"price\":\"1.00\"}");
    });
    assertThat(app.app().database().<Boolean>withHandle(h -> h.createQuery("SELECT id = xact_id::text::bigint * 65536 "
            + "FROM event WHERE activation_id = :id").bind("id", bought.id()).mapTo(Boolean.class).one()))
        .as("the event is stamped as its transaction's first, as the trigger stamps it").isTrue();
    assertThatThrownBy(() -> app.app().activations().purchase(buyer, PurchaseRequest.of("wa", "gb")))
        .as("the one number is leased").isInstanceOf(Failure.class)
        .extracting(e -> ((Failure) e).code()).isEqualTo(ErrorCode.NO_NUMBERS);
  }

  @Test
  void oneCustomersConcurrentPurchasesHoldOnSeveralShardsAndTheWalletStillReconciles() throws Exception {
    app.stock(source.name(), "ES", null, 24);
    Principal buyer = app.livePrincipal("busy", Money.parse("30.00"));
    ExecutorService buyers = Executors.newFixedThreadPool(8);
    try {
      List<Future<Activation>> bought = new ArrayList<>();
      for (int i = 0; i < 24; i++) {
        bought.add(buyers.submit(() -> app.app().activations().purchase(buyer, PurchaseRequest.of("wa", "es"))));
      }
      for (Future<Activation> activation : bought) {
        activation.get(30, TimeUnit.SECONDS);
      }
    } finally {
      buyers.shutdownNow();
    }

    int shards = app.app().database().withHandle(h -> h.createQuery("SELECT COUNT(DISTINCT e.shard) FROM ledger_entry e "
            + "JOIN wallet w ON w.id = e.wallet_id WHERE w.customer_id = :c AND e.kind = 'HOLD'")
        .bind("c", buyer.customerId()).mapTo(Integer.class).one());
    assertThat(shards).as("shards the 24 holds came from").isGreaterThan(1);
    assertThat(app.app().wallets().balance(buyer.customerId(), Mode.LIVE).available()).isEqualTo(Money.parse("6.00"));
    assertThat(app.app().wallets().reconciles(buyer.customerId(), Mode.LIVE)).isTrue();
  }

  @Test
  void aHoldTheBalanceCannotCoverWritesNothing() {
    app.stock(source.name(), "DE", null, 1);
    Principal buyer = app.livePrincipal("too-poor", Money.parse("0.50"));

    assertThatThrownBy(() -> app.app().activations().purchase(buyer, PurchaseRequest.of("wa", "de")))
        .isInstanceOf(Failure.class).extracting(e -> ((Failure) e).code()).isEqualTo(ErrorCode.NO_BALANCE);

    assertThat(app.app().wallets().history(buyer.customerId(), Mode.LIVE, Long.MAX_VALUE, 10))
        .as("only the credit").hasSize(1);
    assertThat(app.app().events().after(buyer.customerId(), false, 0, Set.of("activation.created"), null, 10)).isEmpty();
    Principal richer = app.livePrincipal("richer", Money.parse("5.00"));
    assertThat(app.app().activations().purchase(richer, PurchaseRequest.of("wa", "de")).country())
        .as("the number stayed free").isEqualTo("DE");
  }

  @Test
  void aRepeatedIdempotencyKeyAnswersTheFirstPurchaseAndHoldsOnce() {
    app.stock(source.name(), "FR", null, 2);
    Principal buyer = app.livePrincipal("keyed", Money.parse("5.00"));
    PurchaseRequest request = new PurchaseRequest("wa", List.of("fr"), (String) null, null, List.of(), "order-1", "f1");

    Activation first = app.app().activations().purchase(buyer, request);
    Activation again = app.app().activations().purchase(buyer, request);

    assertThat(again.id()).isEqualTo(first.id());
    assertThat(app.app().wallets().balance(buyer.customerId(), Mode.LIVE).available()).isEqualTo(Money.parse("4.00"));
    assertThat(app.app().wallets().reconciles(buyer.customerId(), Mode.LIVE)).isTrue();
  }

  @Test
  void aCustomerWithAWebhookGetsTheCreatedEventQueuedInThePurchaseTransaction() {
    app.stock(source.name(), "IT", null, 1);
    Principal buyer = app.livePrincipal("hooked", Money.parse("5.00"));
    WebhookOwner owner = WebhookOwner.of(buyer);
    Webhooks.WithSecret endpoint = app.app().webhooks().create(Actor.SYSTEM, owner,
        new Webhooks.NewEndpoint("http://127.0.0.1:9/hook", List.of("activation.created"), WebhookFormat.STANDARD));

    Activation bought = app.app().activations().purchase(buyer, PurchaseRequest.of("wa", "it"));

    assertThat(app.app().webhooks().deliveries(owner, endpoint.endpoint().id(), Long.MAX_VALUE, 10))
        .singleElement().satisfies(d -> {
          assertThat(d.eventType()).isEqualTo("activation.created");
          assertThat(Eventually.within(Duration.ofSeconds(20), "the event is readable",
              () -> app.app().events().after(buyer.customerId(), false, d.eventId() - 1, Set.of(), null, 1),
              list -> !list.isEmpty()))
              .singleElement().extracting(EventLog.Event::activationId).isEqualTo((long) bought.id());
        });
  }
}
