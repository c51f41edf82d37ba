package io.verigate.server.activation;

import io.verigate.server.account.ApiKeyFormat;
import io.verigate.server.account.Mode;
import io.verigate.server.account.Principal;
import io.verigate.server.catalog.Catalog;
import io.verigate.server.catalog.Country;
import io.verigate.server.catalog.Offers;
import io.verigate.server.catalog.Prices;
import io.verigate.server.catalog.TargetService;
import io.verigate.server.inventory.Inventory;
import io.verigate.server.inventory.ReservedNumber;
import io.verigate.server.system.Database;
import io.verigate.server.system.ErrorCode;
import io.verigate.server.system.EventLog;
import io.verigate.server.system.Failure;
import io.verigate.server.system.Metrics;
import io.verigate.server.system.Metrics.PurchaseOutcome;
import io.verigate.server.system.NodeEvents;
import io.verigate.server.supply.SupplyRequest;
import io.verigate.server.supply.SupplyRouter;
import io.verigate.server.wallet.BalanceMoves;
import io.verigate.server.wallet.Ledger;
import io.verigate.server.wallet.LedgerEntry;
import io.verigate.server.wallet.Money;
import io.verigate.server.wallet.Wallets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Buying numbers and moving activations through their lifecycle. Each operation is one transaction that
 * changes the activation, the number lease and the ledger together; listeners hear about it after commit.
 */
public final class ActivationService {
  private static final Logger log = LoggerFactory.getLogger(ActivationService.class);
  /** Activations the sweep settles per transaction: bounds how long it holds their wallets; it repeats until none is due. */
  /** How often a long poll looks again while this node may miss other nodes' events. */
  static final Duration RECHECK = Duration.ofSeconds(2);

  private final Database db;
  private final Clock clock;
  private final Catalog catalog;
  private final Prices prices;
  private final Inventory inventory;
  private final Ledger ledger;
  private final ActivationRepository repository = new ActivationRepository();
  private final Wallets wallets;
  private final SupplyRouter router;
  private final Duration lifetime;
  private final Duration earlyCancelGuard;
  private final List<ActivationListener> listeners = new CopyOnWriteArrayList<>();
  private final List<EndListener> endListeners = new CopyOnWriteArrayList<>();
  private final RecentActivations recent;
  private final Waiters waiters = new Waiters();
  /** Set once the node begins to stop: long polls answer at once instead of parking (see answerLongPollsNow). */
  private volatile boolean stopping;
  private final NodeEvents events;
  private final Metrics metrics;
  private final PurchaseLimits limits;
  private final Transitions<Activation> transitions;
  private final ActivationEvents history;
  private final EventLog eventLog;
  private final SingleStatementOpening oneStatement = new SingleStatementOpening();
  private final ClaimingBatches<Claiming, SupplyRouter.Attempt<Activation>> batches;

  public ActivationService(Database db, Clock clock, Catalog catalog, Prices prices, Inventory inventory, Ledger ledger,
      Wallets wallets, SupplyRouter router, Duration lifetime, Duration earlyCancelGuard, NodeEvents events,
      Metrics metrics, PurchaseLimits limits, EventLog eventLog) {
    this.db = db;
    this.clock = clock;
    this.catalog = catalog;
    this.prices = prices;
    this.inventory = inventory;
    this.ledger = ledger;
    this.wallets = wallets;
    this.router = router;
    this.lifetime = lifetime;
    this.earlyCancelGuard = earlyCancelGuard;
    this.recent = new RecentActivations(events);
    this.events = events;
    this.metrics = metrics;
    metrics.parkedLongPolls(waiters::parked);
    this.limits = limits;
    // Half the pool: two cores' worth of PostgreSQL stay busy with fewer, larger batches, and the rest of the node
    // (transitions, inbound messages, a purchase that cannot go in a batch) still finds connections.
    this.batches = new ClaimingBatches<>(db, Math.max(1, db.poolSize() / 2), this::openClaiming);
    this.transitions = new Transitions<>(db, ledger, new Transitions.Store<>() {
      @Override
      public Optional<Activation> lock(Handle h, int id) {
        return repository.lock(h, id);
      }

      @Override
      public List<Activation> lockDue(Handle h, Instant now, int limit) {
        return repository.lockDue(h, now, limit, db.isPostgres());
      }

      @Override
      public Activation settle(Handle h, Activation before, Activation after, BalanceMoves moves) {
        return ActivationService.this.settle(h, before, after, moves);
      }
    }, this::changed);
    this.history = new ActivationEvents(eventLog);
    this.eventLog = eventLog;
    listeners.add(limits);
    // One subscription drops the copy and then wakes the polls, so a woken poll never reads the stale copy again.
    events.subscribe(RecentActivations.CHANNEL, id -> changedElsewhere(Integer.parseInt(id)), () -> {
      recent.forgetAll();
      waiters.wakeAll();
    });
  }

  public void addListener(ActivationListener listener) {
    listeners.add(listener);
  }

  /**
   * Hears an activation end inside the transaction that ends it, to enqueue work that must follow the end atomically
   * with it (telling the number's supplier). It shares that transaction: it must be brief and must not fail.
   */
  @FunctionalInterface
  public interface EndListener {
    void ended(Handle h, Activation ended);
  }

  public void onEnded(EndListener listener) {
    endListeners.add(listener);
  }

  public Duration earlyCancelGuard() {
    return earlyCancelGuard;
  }

  public TargetService resolveService(String service) {
    if (service == null || service.isBlank()) {
      throw new Failure(ErrorCode.UNKNOWN_SERVICE, "service is required, e.g. wa or whatsapp");
    }
    return catalog.service(service)
        .orElseThrow(() -> new Failure(ErrorCode.UNKNOWN_SERVICE, "unknown service '" + service + "'"));
  }

  public Country resolveCountry(String country) {
    if (country == null || country.isBlank()) {
      throw new Failure(ErrorCode.UNKNOWN_COUNTRY, "country is required, e.g. us, 187 or usa");
    }
    return catalog.country(country)
        .orElseThrow(() -> new Failure(ErrorCode.UNKNOWN_COUNTRY, "unknown country '" + country + "'"));
  }

  /**
   * Buys a number: the first place, as {@link Offers} ranks the named countries and operators, that has a free
   * number at or under the maximum price wins. With an idempotency key, a repeat of the same request returns the
   * first activation and a different request under the same key is refused.
   */
  public Activation purchase(Principal principal, PurchaseRequest request) {
    return counted(() -> buy(principal, request));
  }

  /**
   * Buys the same number again for the same service (sms-activate's getExtraActivation, 5sim's reuse):
   * only for the customer who last used it for that service, when it is free and was never reported banned.
   */
  public Activation reuse(Principal principal, String serviceName, String phone) {
    return counted(() -> new Purchase(buyAgain(principal, serviceName, phone), false));
  }

  /** A purchase's activation, and whether it only repeated an earlier purchase under the same idempotency key. */
  private record Purchase(Activation activation, boolean replayed) {}

  /** Counts a purchase by how it ended, whichever dialect asked for it. */
  private Activation counted(Supplier<Purchase> purchase) {
    try {
      Purchase done = purchase.get();
      metrics.purchase(done.replayed() ? PurchaseOutcome.REPLAYED : PurchaseOutcome.BOUGHT);
      return done.activation();
    } catch (Failure refusal) {
      metrics.purchaseRefused(refusal.code());
      throw refusal;
    } catch (RuntimeException e) {
      metrics.purchase(PurchaseOutcome.FAILED);
      throw e;
    }
  }

  private Purchase buy(Principal principal, PurchaseRequest request) {
    TargetService service = resolveService(request.service());
    if (request.countries().isEmpty()) {
      throw new Failure(ErrorCode.UNKNOWN_COUNTRY, "country is required, e.g. us, 187 or usa");
    }
    List<String> countries = request.countries().stream().map(c -> resolveCountry(c).iso()).toList();
    List<String> operators = request.operators().isEmpty() ? List.of(Prices.ANY_OPERATOR)
        : request.operators().stream().map(Inventory::normaliseOperator).toList();
    if (request.idempotencyKey() != null) {
      Optional<Activation> replay = replay(principal, request);
      if (replay.isPresent()) {
        return new Purchase(replay.get(), true);
      }
    }
    return limits.admitted(principal, () -> buyFirstOffered(principal, request, service, countries, operators));
  }

  /** The purchase itself, once the customer's limits admitted it. */
  private Purchase buyFirstOffered(Principal principal, PurchaseRequest request, TargetService service,
      List<String> countries, List<String> operators) {
    Offers.Ranking ranking = Offers.rank(Offers.named(service.code(), countries, operators, prices.table()),
        request.maxPrice());
    for (Offers.Offer offer : ranking.affordable()) {
      Optional<Purchase> bought = buyIn(principal, request, service, offer);
      if (bought.isPresent()) {
        Activation activation = bought.get().activation();
        if (!bought.get().replayed()) {
          // A concurrent request with the same idempotency key bought it; its listeners have heard already.
          log.info("activation {} bought: customer={} service={} country={} price={}", activation.id(),
              principal.customerId(), service.code(), offer.country(), offer.price());
          listeners.forEach(l -> l.purchased(activation));
        }
        return bought.get();
      }
    }
    if (ranking.cheapestRefused().isPresent()) {
      throw new PriceAboveMax(ranking.cheapestRefused().get(), request.maxPrice());
    }
    throw new Failure(ErrorCode.NO_NUMBERS, "no free " + service.code() + " numbers in " + countries
        + (operators.equals(List.of(Prices.ANY_OPERATOR)) ? "" : " for operator " + String.join(" or ", operators)));
  }

  private Activation buyAgain(Principal principal, String serviceName, String phone) {
    TargetService service = resolveService(serviceName);
    String e164 = phone == null ? "" : "+" + phone.trim().replaceFirst("^\\+", "");
    Activation bought = limits.admitted(principal, () -> withRoom(principal, () -> db.inTransaction(h -> {
      boolean ownUse = inventory.lastUse(h, e164, service.code())
          .flatMap(id -> repository.find(h, id, principal.customerId(), principal.mode()))
          .isPresent();
      ReservedNumber number = (ownUse ? inventory.reserveForReuse(h, principal.mode(), e164, service.code()) : Optional.<ReservedNumber>empty())
          .orElseThrow(() -> new Failure(ErrorCode.REUSE_NOT_POSSIBLE,
              "number " + e164 + " cannot be bought again for " + service.code()));
      Money price = prices.priceFor(service.code(), number.country(), number.operator());
      return open(h, principal, service, number, price, null, null);
    })));
    listeners.forEach(l -> l.purchased(bought));
    return bought;
  }

  private Optional<Purchase> buyIn(Principal principal, PurchaseRequest request, TargetService service,
      Offers.Offer offer) {
    SupplyRequest wanted = new SupplyRequest(principal.customerId(), principal.mode(), service.code(), offer.country(),
        offer.operator(), request.excludedPrefixes(), offer.price(), request.resalePath());
    String key = request.idempotencyKey() == null ? null : storedKey(principal, request);
    try {
      SupplyRouter.OneStatement<Activation> inOneStatement = key == null && request.callbackUrl() == null
          && db.isPostgres() ? claim -> claimAndOpen(principal, service, offer, claim) : null;
      return withRoom(principal, () -> router.purchase(wanted, (h, number) -> open(h, principal,
              service, number, offer.price(), request.callbackUrl(), key == null ? null
                  : opened -> repository.recordPurchaseKey(h, principal.customerId(), key, request.fingerprint(),
                      opened.id(), opened.createdAt())), inOneStatement))
          .map(activation -> new Purchase(activation, false));
    } catch (UnableToExecuteStatementException e) {
      if (key != null && Database.violatesUnique(e)) {
        // Most likely a concurrent request with the same key won the insert; answer as its replay would.
        return Optional.of(new Purchase(replay(principal, request)
            .orElseThrow(() -> new Failure(ErrorCode.IDEMPOTENCY_IN_FLIGHT,
                "a request with this Idempotency-Key is still in progress; retry shortly")), true));
      }
      throw e;
    }
  }

  /**
   * Opens the activation on a reserved number: the hold on a shard of the wallet, its entry, the activation, the lease,
   * the event and whatever else the purchase records ({@code alsoRecord}, null when nothing). A live purchase on
   * PostgreSQL locks its shard first and then makes all the writes in one statement.
   */
  private Activation open(Handle h, Principal principal, TargetService service, ReservedNumber number, Money price,
      String callbackUrl, Consumer<Activation> alsoRecord) {
    long walletId = ledger.walletId(h, principal.customerId(), principal.mode());
    String memo = memo(service, number.country());
    Activation pending = pending(principal, service, number, price, callbackUrl, storedPrecision(clock.instant()));
    int shard = ledger.lockShardWithRoom(h, walletId, price).orElseThrow(() -> new NoRoom(price));
    if (db.isPostgres() && principal.mode() == Mode.LIVE) {
      return openInOneStatement(h, pending, walletId, shard, memo, alsoRecord);
    }
    Ledger.Hold hold = ledger.holdOn(h, walletId, shard, price, memo);
    Activation opened = repository.insert(h, pending.opened(0, hold.id()));
    inventory.lease(h, number.id(), opened.id(), service.code());
    history.created(h, opened);
    if (alsoRecord != null) {
      alsoRecord.accept(opened);
    }
    if (principal.mode() == Mode.LIVE) {
      wallets.afterLiveHold(h, principal.customerId(), walletId);
    }
    return opened;
  }

  /**
   * A live purchase on PostgreSQL in one statement that locks an own number and a free shard with room and writes
   * everything ({@link SingleStatementOpening#claimAndOpen}), sent with its COMMIT, together with the concurrent
   * purchases that claim from the same numbers ({@link ClaimingBatches}). Only when nothing else must be written in
   * the transaction (see {@link #openInOneStatement}); otherwise, or when every shard with room was held by another
   * purchase, it leaves the purchase to the usual transaction.
   */
  private SupplyRouter.Attempt<Activation> claimAndOpen(Principal principal, TargetService service, Offers.Offer offer,
      Inventory.Claim claim) {
    if (principal.mode() != Mode.LIVE) {
      return SupplyRouter.Attempt.undecided();
    }
    return batches.purchase(claim.key(), new Claiming(principal, service, offer, claim));
  }

  /** A live purchase that claims its number in its opening statement. */
  private record Claiming(Principal principal, TargetService service, Offers.Offer offer, Inventory.Claim claim) {}

  /**
   * Opens a batch of purchases that claim from the same numbers, all bought now, in one statement: those whose
   * transaction would have nothing else to write. The others are left to the usual transaction.
   */
  private List<SupplyRouter.Attempt<Activation>> openClaiming(Handle h, List<Claiming> batch) {
    Instant now = storedPrecision(clock.instant());
    List<SupplyRouter.Attempt<Activation>> attempts =
        new ArrayList<>(Collections.nCopies(batch.size(), SupplyRouter.Attempt.undecided()));
    List<Integer> quiet = new ArrayList<>();
    List<SingleStatementOpening.Buying> buying = new ArrayList<>();
    for (int i = 0; i < batch.size(); i++) {
      Claiming purchase = batch.get(i);
      long walletId = ledger.walletId(h, purchase.principal().customerId(), Mode.LIVE);
      if (nothingMoreToWrite(h, purchase.principal().customerId(), walletId)) {
        quiet.add(i);
        buying.add(new SingleStatementOpening.Buying(pending(purchase.principal(), purchase.service(),
            new ReservedNumber(0, null, purchase.offer().country(), purchase.offer().operator()),
            purchase.offer().price(), null, now), walletId));
      }
    }
    if (buying.isEmpty()) {
      return attempts;
    }
    Claiming first = batch.get(quiet.get(0));
    List<SingleStatementOpening.Claimed> claimed = oneStatement.claimAndOpen(h, first.claim(), buying,
        memo(first.service(), first.offer().country()));
    for (int j = 0; j < claimed.size(); j++) {
      Claiming purchase = batch.get(quiet.get(j));
      SingleStatementOpening.Claimed outcome = claimed.get(j);
      if (outcome.opened().isPresent()) {
        SingleStatementOpening.Opened ids = outcome.opened().get();
        Activation opened = pending(purchase.principal(), purchase.service(), ids.number(), purchase.offer().price(),
            null, now).opened(ids.activationId(), ids.holdId());
        history.createdBy(h, opened, ids.eventId());
        attempts.set(quiet.get(j), SupplyRouter.Attempt.bought(opened));
      } else if (outcome.noNumber()) {
        attempts.set(quiet.get(j), SupplyRouter.Attempt.noOwnNumber());
      }
    }
    return attempts;
  }

  /** A new activation on {@code number} bought {@code now}, before the database gave it an id and a hold. */
  private Activation pending(Principal principal, TargetService service, ReservedNumber number, Money price,
      String callbackUrl, Instant now) {
    return new Activation(0, principal.customerId(), principal.mode(), service.code(), number.country(),
        number.operator(), number.id(), number.e164(), price, 0, ActivationStatus.WAITING, null, null, null, null, now,
        now.plus(lifetime), null, 0, callbackUrl);
  }

  private static String memo(TargetService service, String country) {
    return service.code() + " number in " + country;
  }

  /**
   * {@link #open} through {@link SingleStatementOpening}, committing in the same round trip unless something else must
   * still be written in the transaction: a record of the purchase, work an event listener enqueues (a webhook, the
   * purchase's own callback), or a low-balance event.
   */
  private Activation openInOneStatement(Handle h, Activation pending, long walletId, int shard, String memo,
      Consumer<Activation> alsoRecord) {
    boolean commit = alsoRecord == null && pending.callbackUrl() == null
        && nothingMoreToWrite(h, pending.customerId(), walletId);
    SingleStatementOpening.Opened ids = oneStatement.open(h, pending, walletId, shard, memo, commit);
    Activation opened = pending.opened(ids.activationId(), ids.holdId());
    history.createdBy(h, opened, ids.eventId());
    if (alsoRecord != null) {
      alsoRecord.accept(opened);
    }
    if (!commit) {
      wallets.afterLiveHold(h, opened.customerId(), walletId);
    }
    return opened;
  }

  /**
   * Whether a live purchase of {@code customerId} on {@code walletId} leaves nothing for others to write in its
   * transaction: no event listener enqueues work for its {@code activation.created} (a webhook, say) and no
   * low-balance threshold is watched on the wallet. Only then may the writing statement commit.
   */
  private boolean nothingMoreToWrite(Handle h, long customerId, long walletId) {
    return eventLog.quietFor(h, customerId, false, ActivationEvents.CREATED) && !wallets.watchesLowBalance(h, walletId);
  }

  /**
   * Runs a purchase, and again whenever it found no shard of the wallet with room for the price: the purchase's
   * transaction has then rolled back (giving its number back), and the wallet's money is spread again in a short
   * transaction of its own, so that no purchase transaction ever locks every shard of a wallet. Ends with NO_BALANCE
   * once the wallet has less available than the price; every round either succeeds or finds money moved since.
   */
  private <T> T withRoom(Principal principal, Supplier<T> purchase) {
    while (true) {
      try {
        return purchase.get();
      } catch (NoRoom noRoom) {
        if (!wallets.makeRoom(principal.customerId(), principal.mode(), noRoom.price)) {
          throw new Failure(ErrorCode.NO_BALANCE, "available balance is below the price " + noRoom.price);
        }
      }
    }
  }

  /** No shard of the buyer's wallet has room for the price: ends the purchase's transaction for {@link #withRoom}. */
  private static final class NoRoom extends RuntimeException {
    private final Money price;

    NoRoom(Money price) {
      super(null, null, false, false);
      this.price = price;
    }
  }

  /**
   * Keys are scoped to the customer and the key's mode (a test purchase never answers for a live one), and
   * stored hashed so any key length fits.
   */
  private static String storedKey(Principal principal, PurchaseRequest request) {
    return principal.mode().sqlName() + ":" + ApiKeyFormat.sha256(request.idempotencyKey());
  }

  private Optional<Activation> replay(Principal principal, PurchaseRequest request) {
    return db.withHandle(h -> {
      Optional<String> fingerprint = repository.purchaseKeyFingerprint(h, principal.customerId(), storedKey(principal, request));
      if (fingerprint.isEmpty()) {
        return Optional.empty();
      }
      if (!fingerprint.get().equals(request.fingerprint())) {
        throw new Failure(ErrorCode.IDEMPOTENCY_KEY_REUSED,
            "Idempotency-Key '" + request.idempotencyKey() + "' was already used with a different request");
      }
      return repository.activationForPurchaseKey(h, principal.customerId(), storedKey(principal, request))
          .flatMap(id -> repository.find(h, id, principal.customerId(), principal.mode()));
    });
  }

  /**
   * The status read, served from memory when the activation was read before and has not changed since; no writes.
   * Another customer's activation is simply not found.
   */
  public Activation get(Principal principal, int id) {
    return recent.get(id, key -> db.withHandle(h -> repository.find(h, key)))
        .filter(a -> a.customerId() == principal.customerId() && a.mode() == principal.mode())
        .orElseThrow(() -> notFound(id));
  }

  /**
   * A new memory of something per activation (its messages, say) that this node keeps exactly as fresh as the
   * activations {@link #get} serves: an entry is dropped whenever its activation changes, here or on another node.
   */
  public <V> ActivationMemory<V> memory() {
    return recent.remember();
  }

  /**
   * A long poll: the activation as soon as it no longer passes {@code unchanged}, or as it is when {@code wait} ran
   * out. A refusal (not found) comes at once. Changes on this node and, through the node events, on others wake the
   * poll; while other nodes' events may be missed it also looks again every {@link #RECHECK}.
   */
  public CompletableFuture<Activation> awaitChange(Principal principal, int id, Predicate<Activation> unchanged,
      Duration wait) {
    return awaitChange(principal, id, unchanged, System.nanoTime() + wait.toNanos());
  }

  /** How many long polls are parked on this node now. */
  public int waiting() {
    return waiters.parked();
  }

  /**
   * The node is stopping: every parked long poll answers now with the activation as it is, as if its wait had run
   * out, and later polls do not park. The client polls again, on a node that is not stopping.
   *
   * @return how many polls were parked
   */
  public int answerLongPollsNow() {
    stopping = true;
    int parked = waiters.parked();
    waiters.wakeAll();
    return parked;
  }

  private CompletableFuture<Activation> awaitChange(Principal principal, int id, Predicate<Activation> unchanged,
      long deadline) {
    CompletableFuture<Void> change = waiters.nextChange(id);
    Activation now;
    try {
      now = get(principal, id);
    } catch (RuntimeException refused) {
      change.cancel(false);
      return CompletableFuture.failedFuture(refused);
    }
    long left = deadline - System.nanoTime();
    if (!unchanged.test(now) || left <= 0 || stopping) {
      change.cancel(false);
      return CompletableFuture.completedFuture(now);
    }
    long park = events.listening() ? left : Math.min(left, RECHECK.toNanos());
    return change.completeOnTimeout(null, park, TimeUnit.NANOSECONDS)
        .thenComposeAsync(woken -> awaitChange(principal, id, unchanged, deadline), waiters.readers());
  }

  public List<Activation> list(Principal principal, ActivationFilter filter) {
    return db.withHandle(h -> repository.list(h, principal.customerId(), principal.mode(), filter));
  }

  /** One page of the customer's activations by position, and how many there are in all (5sim's order history). */
  public record Page(List<Activation> items, int total) {}

  public Page page(Principal principal, int offset, int limit, boolean newestFirst) {
    return db.withHandle(h -> new Page(
        repository.page(h, principal.customerId(), principal.mode(), offset, limit, newestFirst),
        repository.count(h, principal.customerId(), principal.mode())));
  }

  public Activation finish(Principal principal, int id) {
    return transition(principal, id, Activation::finish);
  }

  public Activation cancel(Principal principal, int id) {
    return transition(principal, id, (a, now) -> a.cancel(now, earlyCancelGuard));
  }

  public Activation reportBanned(Principal principal, int id) {
    return transition(principal, id, Activation::reportBanned);
  }

  public Activation requestAnotherCode(Principal principal, int id) {
    Activation after = transition(principal, id, Activation::requestAnotherCode);
    listeners.forEach(l -> l.anotherCodeRequested(after));
    return after;
  }

  /** What an inbound message did to the live activation on its number. */
  public record Delivery(Activation activation, boolean matched) {}

  /**
   * Records a message from a source for the live activation on {@code e164}, one of that source's numbers, inside the
   * inbound pipeline's transaction. When that activation's lifetime is over, it is settled instead and the message
   * matches nothing (not {@code matched}). Empty when no live activation holds the number, or the number is not the
   * source's. Either way the caller passes the activation to {@link #afterDelivery} once committed.
   */
  public Optional<Delivery> deliver(Handle h, long sourceId, String e164, UnaryOperator<Activation> receive) {
    return repository.lockLiveOnNumber(h, sourceId, e164).map(locked -> {
      Activation current = settleNow(h, locked, locked.asOf(clock.instant()));
      if (!current.status().isLive()) {
        return new Delivery(current, false);
      }
      Activation after = receive.apply(current);
      repository.update(h, after);
      history.changed(h, current, after);
      return new Delivery(after, true);
    });
  }

  public void afterDelivery(Activation activation) {
    changed(activation);
  }

  /** Ends every activation whose lifetime is over (see {@link Transitions#sweep}); returns how many it ended. */
  public int sweep() {
    return transitions.sweep(clock.instant());
  }

  /** Applies a customer's action to one of its activations (see {@link Transitions#apply}). */
  private Activation transition(Principal principal, int id, Transitions.Action<Activation> action) {
    return transitions.apply(id, a -> a.customerId() == principal.customerId() && a.mode() == principal.mode(),
        () -> notFound(id), storedPrecision(clock.instant()), action);
  }

  /**
   * The database keeps microseconds; an action's moment is cut to them so the activation it answers with is the one
   * every later read (and every repeat of the action) returns.
   */
  private static Instant storedPrecision(Instant instant) {
    return instant.truncatedTo(ChronoUnit.MICROS);
  }

  /** After a change committed: the node forgets the old state before any poll or listener can read it back. */
  private void changed(Activation after) {
    recent.changed(after.id());
    waiters.wake(after.id());
    listeners.forEach(l -> l.changed(after));
  }

  private void changedElsewhere(int id) {
    recent.forget(id);
    waiters.wake(id);
  }

  /**
   * Persists a transition and, when it ends the activation, frees the number and resolves the hold, whose balance
   * change joins {@code moves} for the caller to apply last. A transition that changes nothing (a repeated finish or
   * cancel, a lifetime not yet over) writes nothing.
   */
  private Activation settle(Handle h, Activation before, Activation after, BalanceMoves moves) {
    if (after.equals(before)) {
      return after;
    }
    repository.update(h, after);
    history.changed(h, before, after);
    if (before.status().isLive() && !after.status().isLive()) {
      inventory.release(h, after.numberId(), after.id());
      if (after.status() == ActivationStatus.BANNED) {
        inventory.banForService(h, after.numberId(), after.service());
      }
      ledger.resolve(h, after.holdId(), holdOutcome(after.status()),
          "activation " + after.id() + " " + after.status().name().toLowerCase(), moves);
      endListeners.forEach(listener -> listener.ended(h, after));
    }
    return after;
  }

  /** {@link #settle} with the balance change applied at once. */
  private Activation settleNow(Handle h, Activation before, Activation after) {
    BalanceMoves moves = new BalanceMoves();
    Activation settled = settle(h, before, after, moves);
    ledger.apply(h, moves);
    return settled;
  }

  /** Charged only on success; every other end gives the money back (email activations end the same way). */
  public static LedgerEntry.Kind holdOutcome(ActivationStatus ended) {
    return switch (ended) {
      case FINISHED -> LedgerEntry.Kind.POST;
      case EXPIRED -> LedgerEntry.Kind.EXPIRE;
      case CANCELED, BANNED -> LedgerEntry.Kind.VOID;
      default -> throw new IllegalStateException("unexpected terminal status " + ended);
    };
  }

  private static Failure notFound(int id) {
    return new Failure(ErrorCode.ACTIVATION_NOT_FOUND, "no activation with id " + id);
  }

  /** Splits a comma-separated list of prefixes (sms-activate's phoneException), keeping digits only. */
  public static List<String> prefixes(String raw) {
    List<String> out = new ArrayList<>();
    if (raw == null) {
      return out;
    }
    for (String part : raw.split(",")) {
      String digits = part.trim().replace("+", "");
      if (!digits.isEmpty()) {
        if (!digits.matches("\\d{1,15}")) {
          throw new Failure(ErrorCode.BAD_REQUEST, "excluded prefixes must be digits, got '" + part.trim() + "'");
        }
        out.add(digits);
      }
    }
    return out;
  }
}
