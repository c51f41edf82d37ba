package io.verigate.server.esim;

import io.verigate.server.account.Actor;
import io.verigate.server.account.ApiKeyFormat;
import io.verigate.server.account.Mode;
import io.verigate.server.account.Principal;
import io.verigate.server.system.Database;
import io.verigate.server.system.ErrorCode;
import io.verigate.server.system.EventLog;
import io.verigate.server.system.Failure;
import io.verigate.server.system.SecretBox;
import io.verigate.server.wallet.Ledger;
import io.verigate.server.wallet.Money;
import io.verigate.server.wallet.Wallets;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Selling travel eSIMs from the prepaid wallet. An eSIM is a delivered good, so an order is charged at once: in one
 * transaction the price is held and posted, the supplier hands over the profiles and the order and its eSIMs are
 * written with their event; any refusal on the way (no money, no stock, the supplier failing) rolls all of it back,
 * so a refused order charges nothing and takes no profile. Top-ups are charged the same way; a refund (only while
 * the eSIM is not yet in use) credits its price back.
 */
public final class Esims {
  /** The most eSIMs one order may ask for (Airalo's limit too). */
  public static final int MAX_QUANTITY = 50;
  private static final Logger log = LoggerFactory.getLogger(Esims.class);

  private final Database db;
  private final Clock clock;
  private final Ledger ledger;
  private final Wallets wallets;
  private final EsimPlans plans;
  private final OwnStock ownStock;
  private final EsimSupplier sandbox;
  /** Null when no remote supplier is configured. */
  private final RemoteEsimSupplier remote;
  private final EsimEvents events;
  private final EsimRepository repository;
  private final SupplierUsagePolls usagePolls;

  public Esims(Database db, Clock clock, Ledger ledger, Wallets wallets, EsimPlans plans, OwnStock ownStock,
      EsimSupplier sandbox, RemoteEsimSupplier remote, EventLog eventLog, SecretBox secrets) {
    this.db = db;
    this.clock = clock;
    this.ledger = ledger;
    this.wallets = wallets;
    this.plans = plans;
    this.ownStock = ownStock;
    this.sandbox = sandbox;
    this.remote = remote;
    this.events = new EsimEvents(eventLog);
    this.repository = new EsimRepository(new SealedProfiles(secrets));
    this.usagePolls = remote == null ? null : new SupplierUsagePolls(db, remote, repository, events);
  }

  public EsimPlans plans() {
    return plans;
  }

  /**
   * Orders {@code quantity} eSIMs of a plan. With an idempotency key, a repeat of the same request returns the first
   * order without charging again; another request under the same key is refused.
   */
  public EsimOrder order(Principal principal, String planId, int quantity, String idempotencyKey, String fingerprint) {
    if (planId == null || planId.isBlank()) {
      throw new Failure(ErrorCode.BAD_REQUEST, "planId is required");
    }
    if (quantity < 1 || quantity > MAX_QUANTITY) {
      throw new Failure(ErrorCode.BAD_REQUEST, "quantity must be between 1 and " + MAX_QUANTITY);
    }
    String key = idempotencyKey == null ? null : principal.mode().sqlName() + ":" + ApiKeyFormat.sha256(idempotencyKey);
    if (key != null) {
      Optional<EsimOrder> replay = replay(principal, key, idempotencyKey, fingerprint);
      if (replay.isPresent()) {
        return replay.get();
      }
    }
    EsimOrder order;
    try {
      order = placeOnce(principal, planId.strip(), quantity, key, idempotencyKey, fingerprint, null);
    } catch (Failure refused) {
      EsimPlan plan = refused.code() == ErrorCode.ESIM_OUT_OF_STOCK ? remotePlan(principal, planId.strip()) : null;
      if (plan == null) {
        throw refused;
      }
      order = orderRemotely(principal, plan, quantity, key, idempotencyKey, fingerprint);
    }
    log.info("esim order {}: customer={} plan={} quantity={} price={} supplier={}", order.id(), principal.customerId(),
        order.plan().id(), quantity, order.price(), order.supplier());
    return order;
  }

  /** Profiles a remote supplier delivered before the order's transaction, and its name. */
  private record BoughtAhead(String supplier, List<Profile> profiles) {}

  /**
   * Places the order in one transaction: the key claimed first (so a concurrent repeat waits on it and then replays
   * this order, rather than racing it for the stock), the money held and posted, the profiles taken from stock or
   * those bought ahead, the order and its event. A repeat that meets the claimed key replays the first order.
   */
  private EsimOrder placeOnce(Principal principal, String planId, int quantity, String key, String presented,
      String fingerprint, BoughtAhead ahead) {
    try {
      return db.inTransaction(h -> {
        if (key != null) {
          repository.claimOrderKey(h, principal.customerId(), key, fingerprint, now());
        }
        EsimOrder placed = place(h, principal, plans.visible(h, principal.mode(), planId, EsimPlan.Kind.ESIM),
            quantity, ahead);
        if (key != null) {
          repository.keyOrder(h, principal.customerId(), key, placed.id());
        }
        return placed;
      });
    } catch (UnableToExecuteStatementException e) {
      if (key != null && Database.violatesUnique(e)) {
        return replay(principal, key, presented, fingerprint).orElseThrow(() -> new Failure(
            ErrorCode.IDEMPOTENCY_IN_FLIGHT, "a request with this Idempotency-Key is still in progress; retry shortly"));
      }
      throw e;
    }
  }

  /** The plan, when its live order may fall back to the remote supplier: one is configured and the plan names a package. */
  private EsimPlan remotePlan(Principal principal, String planId) {
    if (remote == null || principal.mode() != Mode.LIVE) {
      return null;
    }
    EsimPlan plan = db.withHandle(h -> plans.visible(h, principal.mode(), planId, EsimPlan.Kind.ESIM));
    return plan.supplierPackageId() == null ? null : plan;
  }

  /**
   * Buys the eSIMs from the remote supplier, outside any transaction, then charges and writes the order in one. The
   * customer's money was there a moment ago (the stock attempt held it before it found no profile). Profiles bought
   * but not sold after all (the money was spent meanwhile, a racing repeat won the key) join the operator's own stock
   * of the plan, so what the operator paid the supplier for is sold by the next order.
   */
  private EsimOrder orderRemotely(Principal principal, EsimPlan plan, int quantity, String key, String presented,
      String fingerprint) {
    List<Profile> bought;
    try {
      bought = remote.order(plan, quantity);
    } catch (Failure refused) {
      throw new Failure(refused.code(), refused.getMessage() + "; nothing was charged");
    }
    EsimOrder order;
    try {
      order = placeOnce(principal, plan.id(), quantity, key, presented, fingerprint,
          new BoughtAhead(remote.name(), bought));
    } catch (RuntimeException notSold) {
      keepAsStock(plan, bought);
      throw notSold;
    }
    List<String> sold = order.esims().stream().map(e -> e.profile().iccid()).toList();
    if (!sold.contains(bought.get(0).iccid())) {
      keepAsStock(plan, bought); // a repeat of the same key placed its order first; this is its replay
    }
    return order;
  }

  private void keepAsStock(EsimPlan plan, List<Profile> bought) {
    List<String> iccids = bought.stream().map(Profile::iccid).toList();
    try {
      ownStock.importProfiles(Actor.SYSTEM, plan.id(), bought, plans);
      log.warn("eSIMs {} bought from {} for plan {} were not sold; they joined its own stock", iccids, remote.name(),
          plan.id());
    } catch (RuntimeException e) {
      log.error("eSIMs {} bought from {} for plan {} were not sold and could not be kept as stock; import them by hand",
          iccids, remote.name(), plan.id(), e);
    }
  }

  private EsimOrder place(Handle h, Principal principal, EsimPlan plan, int quantity, BoughtAhead ahead) {
    Instant now = now();
    Money total = plan.price().times(quantity);
    String memo = "eSIM order: " + quantity + " x " + plan.name();
    Ledger.Hold hold = hold(h, principal, total, memo);
    EsimSupplier supplier = supplierFor(principal.mode());
    String supplierName = ahead == null ? supplier.name() : ahead.supplier();
    long orderId = repository.insertOrder(h, principal.customerId(), principal.mode(), plan, quantity, total, hold.id(),
        supplierName, now);
    List<Esim> esims = new ArrayList<>(quantity);
    for (Profile profile : ahead == null ? supplier.take(h, plan, quantity, orderId) : ahead.profiles()) {
      esims.add(repository.insertEsim(h, orderId, principal.customerId(), principal.mode(), plan, profile, now));
    }
    ledger.post(h, hold.id(), "eSIM order " + orderId + ": " + quantity + " x " + plan.name());
    EsimOrder order = new EsimOrder(orderId, principal.customerId(), principal.mode(), plan, quantity, total,
        supplierName, now, esims);
    events.ordered(h, order);
    return order;
  }

  /** The order, with its eSIMs as they are now. */
  public EsimOrder getOrder(Principal principal, long orderId) {
    return db.withHandle(h -> loadOrder(h, principal, orderId))
        .orElseThrow(() -> new Failure(ErrorCode.NOT_FOUND, "no eSIM order " + orderId));
  }

  private Optional<EsimOrder> loadOrder(Handle h, Principal principal, long orderId) {
    return repository.findOrder(h, orderId)
        .filter(o -> o.customerId() == principal.customerId() && o.mode() == principal.mode())
        .map(o -> new EsimOrder(o.id(), o.customerId(), o.mode(), plans.find(h, o.planId()).orElseThrow(),
            o.quantity(), o.price(), o.supplier(), o.createdAt(), repository.esimsOfOrder(h, o.id())));
  }

  /** The customer's eSIM; one bought from the remote supplier shows the usage it counts (polled at most briefly ago). */
  public Esim get(Principal principal, long id) {
    Esim esim = db.withHandle(h -> repository.find(h, id, principal.customerId(), principal.mode()))
        .orElseThrow(() -> notFound(id));
    return usagePolls == null ? esim : usagePolls.fresh(esim, now());
  }

  /** Newest first; {@code beforeId} pages back. */
  public List<Esim> list(Principal principal, long beforeId, int limit) {
    return db.withHandle(h -> repository.list(h, principal.customerId(), principal.mode(), beforeId, limit));
  }

  /**
   * Tops an eSIM up with a top-up plan that covers its countries: the price charged at once, the plan's data and days
   * added. Refused for an eSIM refunded or expired, and when its supplier refuses (nothing is charged then). An eSIM
   * bought from the remote supplier is topped up there with the plan's supplier package: charged first, the supplier
   * asked outside the transaction, and the price refunded at once if it refuses, so a refusal costs nothing either.
   */
  public Esim topUp(Principal principal, long id, String planId) {
    if (planId == null || planId.isBlank()) {
      throw new Failure(ErrorCode.BAD_REQUEST, "planId is required");
    }
    TopUp charged = db.inTransaction(h -> charge(h, principal, id, planId.strip()));
    Esim topped;
    if (charged.remote()) {
      try {
        remote.topUp(charged.esim().profile().iccid(), charged.plan().supplierPackageId());
      } catch (RuntimeException refused) {
        // Also when the outcome is unknown (no answer): the customer is never charged for a top-up not seen to work.
        db.inTransaction(h -> refundTopUp(h, charged));
        throw refused instanceof Failure failure
            ? new Failure(failure.code(), failure.getMessage() + "; its price was refunded") : refused;
      }
      topped = db.inTransaction(h -> apply(h, lockOwned(h, principal, id), charged.plan()));
    } else {
      topped = charged.esim();
    }
    log.info("esim {} topped up: customer={} plan={} supplier={}", id, principal.customerId(), planId,
        charged.remote() ? remote.name() : supplierFor(principal.mode()).name());
    return topped;
  }

  /** A top-up charged: the eSIM (already topped up unless the remote supplier still has to), the plan, its row. */
  private record TopUp(Esim esim, EsimPlan plan, long topUpId, boolean remote) {}

  /**
   * Checks and charges a top-up in the caller's transaction. One of the operator's own or the sandbox is complete
   * when this returns; one of the remote supplier waits for it.
   */
  private TopUp charge(Handle h, Principal principal, long id, String planId) {
    Esim esim = lockOwned(h, principal, id);
    EsimPlan plan = plans.visible(h, principal.mode(), planId, EsimPlan.Kind.TOPUP);
    EsimPlan base = plans.find(h, esim.planId()).orElseThrow();
    EsimStatus status = esim.status(now());
    if (status == EsimStatus.REFUNDED || status == EsimStatus.EXPIRED) {
      throw new Failure(ErrorCode.TOPUP_REFUSED, "eSIM " + id + " is " + status + "; only a live eSIM can be topped up");
    }
    if (!plan.tops(base)) {
      throw new Failure(ErrorCode.TOPUP_REFUSED, "top-up '" + plan.id() + "' does not cover every country of plan '"
          + base.id() + "'");
    }
    boolean fromRemote = remote != null && repository.findOrder(h, esim.orderId()).orElseThrow().supplier()
        .equals(remote.name());
    // A supplier's top-up package extends only that supplier's eSIMs, and only such a package extends them.
    if (fromRemote != (plan.supplierPackageId() != null)) {
      throw new Failure(ErrorCode.TOPUP_REFUSED, fromRemote
          ? "eSIM " + id + " comes from " + remote.name() + "; top it up with one of its top-up plans"
          : "top-up '" + plan.id() + "' extends only eSIMs bought from its supplier");
    }
    if (!fromRemote) {
      supplierFor(principal.mode()).checkTopUp(plan);
    }
    Ledger.Hold hold = hold(h, principal, plan.price(), "eSIM top-up: " + plan.name());
    ledger.post(h, hold.id(), "eSIM top-up of " + esim.profile().iccid() + ": " + plan.name());
    long topUpId = repository.insertTopUp(h, id, plan, hold.id(), now());
    return new TopUp(fromRemote ? esim : apply(h, esim, plan), plan, topUpId, fromRemote);
  }

  private Esim apply(Handle h, Esim esim, EsimPlan plan) {
    Esim after = esim.toppedUp(plan);
    repository.update(h, after);
    events.toppedUp(h, after, plan);
    return after;
  }

  private Void refundTopUp(Handle h, TopUp charged) {
    Esim esim = charged.esim();
    repository.refundTopUp(h, charged.topUpId(), now());
    wallets.refund(h, esim.customerId(), esim.mode(), charged.plan().price(),
        "eSIM top-up refused by " + remote.name() + ": " + esim.profile().iccid() + " (" + charged.plan().name() + ")");
    return null;
  }

  /** Gives the eSIM's price back to the wallet, if it has not been installed and used yet (the operator's rule). */
  public Esim refund(Principal principal, long id) {
    return db.inTransaction(h -> {
      Esim esim = lockOwned(h, principal, id);
      EsimStatus status = esim.status(now());
      if (status != EsimStatus.NOT_ACTIVE) {
        throw new Failure(ErrorCode.INVALID_STATE, "eSIM " + id + " is " + status
            + "; only an eSIM not yet in use (NOT_ACTIVE) can be refunded");
      }
      Esim refunded = esim.refunded(now());
      repository.update(h, refunded);
      wallets.refund(h, principal.customerId(), principal.mode(), esim.price(),
          "eSIM refund: " + esim.profile().iccid() + " (order " + esim.orderId() + ")");
      events.refunded(h, refunded);
      return refunded;
    });
  }

  /**
   * Records usage the operator learnt from its carrier (or a supplier's feed): the state and the MB used so far.
   * The first report of ACTIVE starts the validity days; crossing 75 or 90 % of the data writes {@code esim.low_data}.
   */
  public Esim reportUsage(long id, EsimStatus state, long usedMb) {
    return recordUsage(h -> repository.lock(h, id).orElseThrow(() -> notFound(id)), state, usedMb);
  }

  /** A test key plays its carrier: usage of one of its sandbox eSIMs, to walk a client through every state. */
  public Esim reportSandboxUsage(Principal principal, long id, EsimStatus state, long usedMb) {
    if (principal.mode() != Mode.TEST) {
      throw new Failure(ErrorCode.FORBIDDEN, "sandbox usage reports need a test-mode key");
    }
    return recordUsage(h -> lockOwned(h, principal, id), state, usedMb);
  }

  private Esim recordUsage(Function<Handle, Esim> lock, EsimStatus state, long usedMb) {
    if (state == null || !state.reportable()) {
      throw new Failure(ErrorCode.BAD_REQUEST, "status must be NOT_ACTIVE, ACTIVE or FINISHED");
    }
    if (usedMb < 0) {
      throw new Failure(ErrorCode.BAD_REQUEST, "usedMb must not be negative");
    }
    return db.inTransaction(h -> {
      Esim esim = lock.apply(h);
      if (esim.refundedAt() != null) {
        throw new Failure(ErrorCode.INVALID_STATE, "eSIM " + esim.id() + " was refunded");
      }
      Instant activated = esim.activatedAt() != null || state == EsimStatus.NOT_ACTIVE ? esim.activatedAt() : now();
      Esim after = esim.withUsage(state, esim.dataMb() == null ? usedMb : Math.min(usedMb, esim.dataMb()), activated);
      repository.update(h, after);
      events.usageReported(h, esim, after);
      return after;
    });
  }

  /**
   * The remote supplier warned that its eSIM {@code iccid} runs low ({@code level} as it names thresholds): an
   * {@code esim.low_data} event, once per level however often the warning arrives, and the next read polls the
   * supplier's usage afresh. False when no eSIM of ours has that ICCID (nothing to do).
   */
  public boolean supplierLowData(String iccid, String level, Integer remainingPercent) {
    if (remote == null) {
      return false;
    }
    return db.inTransaction(h -> repository.lockByIccid(h, iccid, remote.name()).map(esim -> {
      if (repository.noteLowData(h, esim.id(), level)) {
        events.supplierLowData(h, esim, level, remainingPercent);
      }
      return true;
    }).orElse(false));
  }

  /** The install QR code of the customer's eSIM as a PNG. */
  public byte[] qrPng(Principal principal, long id) {
    return InstallQr.png(get(principal, id).activationCode());
  }

  public Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MICROS);
  }

  /**
   * Holds {@code amount} on the customer's wallet (a test wallet is funded when short); refused with NO_BALANCE. Unlike
   * an activation purchase it may lock every shard of a wallet whose money is spread thin ({@link Ledger#hold}): eSIM
   * orders are rare next to purchases, so they do without the purchases' separate make-room transaction.
   */
  private Ledger.Hold hold(Handle h, Principal principal, Money amount, String memo) {
    long walletId = ledger.walletId(h, principal.customerId(), principal.mode());
    if (principal.mode() == Mode.TEST) {
      return wallets.holdOnTestWallet(h, walletId, amount, memo);
    }
    Ledger.Hold hold = ledger.hold(h, walletId, amount, memo);
    wallets.afterLiveHold(h, principal.customerId(), walletId);
    return hold;
  }

  /** Test keys are served by the sandbox, live keys from the operator's own stock. */
  private EsimSupplier supplierFor(Mode mode) {
    return mode == Mode.TEST ? sandbox : ownStock;
  }

  private Esim lockOwned(Handle h, Principal principal, long id) {
    return repository.lock(h, id)
        .filter(e -> e.customerId() == principal.customerId() && e.mode() == principal.mode())
        .orElseThrow(() -> notFound(id));
  }

  private Optional<EsimOrder> replay(Principal principal, String key, String presented, String fingerprint) {
    return db.withHandle(h -> {
      Optional<String> stored = repository.orderKeyFingerprint(h, principal.customerId(), key);
      if (stored.isEmpty()) {
        return Optional.empty();
      }
      if (!stored.get().equals(fingerprint)) {
        throw new Failure(ErrorCode.IDEMPOTENCY_KEY_REUSED,
            "Idempotency-Key '" + presented + "' was already used with a different request");
      }
      return repository.orderForKey(h, principal.customerId(), key).flatMap(id -> loadOrder(h, principal, id));
    });
  }

  private static Failure notFound(long id) {
    return new Failure(ErrorCode.NOT_FOUND, "no eSIM with id " + id);
  }
}
