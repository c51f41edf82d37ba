package io.verigate.server.email;

import io.verigate.server.account.ApiKeyFormat;
import io.verigate.server.account.Mode;
import io.verigate.server.account.Principal;
import io.verigate.server.activation.ActivationService;
import io.verigate.server.activation.ActivationStatus;
import io.verigate.server.activation.Transitions;
import io.verigate.server.activation.PurchaseLimits;
import io.verigate.server.system.Metrics;
import io.verigate.server.system.Metrics.InboundOutcome;
import io.verigate.server.system.Metrics.PurchaseOutcome;
import io.verigate.server.activation.Waiters;
import io.verigate.server.system.Database;
import io.verigate.server.system.ErrorCode;
import io.verigate.server.system.EventLog;
import io.verigate.server.system.Failure;
import io.verigate.server.system.NodeEvents;
import io.verigate.server.wallet.BalanceMoves;
import io.verigate.server.wallet.Ledger;
import io.verigate.server.wallet.Wallets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.function.Predicate;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Buying mailboxes and moving email activations through their lifecycle, and taking the letters the SMTP listener
 * (or the sandbox) hands over. Each operation is one transaction that changes the activation and the ledger together,
 * with its event; long polls and other nodes hear of it after commit.
 *
 * <p>Money mirrors SMS activations: a hold on purchase, posted when the customer finishes (or the lifetime ends after a
 * letter), voided on cancel, expired when the lifetime ends with none. A reorder is a new purchase on the same address,
 * held again; it finishes the activation it reorders, whose letter was delivered.
 */
public final class EmailActivations {
  private static final Logger log = LoggerFactory.getLogger(EmailActivations.class);
  static final String CHANNEL = "verigate_email_activation";
  private static final Duration RECHECK = Duration.ofSeconds(2);
  private static final String LOCAL_PART_ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789";
  private static final int LOCAL_PART_LENGTH = 12;

  private final Database db;
  private final Clock clock;
  private final EmailDomains domains;
  private final Ledger ledger;
  private final Wallets wallets;
  private final Duration lifetime;
  private final Duration lateMail;
  private final MailExtractor extractor;
  private final NodeEvents nodeEvents;
  /** The operator's cap on live activations and success-rate guard, counted over email activations apart from SMS. */
  private final PurchaseLimits limits;
  private final Metrics metrics;
  private final EmailActivationRepository repository = new EmailActivationRepository();
  private final MailJournal journal = new MailJournal();
  private final EmailEvents events;
  private final Transitions<EmailActivation> transitions;
  private final Waiters waiters = new Waiters();
  private final SecureRandom random = new SecureRandom();
  private final List<Consumer<EmailActivation>> listeners = new CopyOnWriteArrayList<>();

  public EmailActivations(Database db, Clock clock, EmailDomains domains, Ledger ledger, Wallets wallets,
      Duration lifetime, Duration lateMail, MailExtractor extractor, EventLog eventLog, NodeEvents nodeEvents,
      PurchaseLimits limits, Metrics metrics) {
    this.db = db;
    this.limits = limits;
    this.metrics = metrics;
    this.clock = clock;
    this.domains = domains;
    this.ledger = ledger;
    this.wallets = wallets;
    this.lifetime = lifetime;
    this.lateMail = lateMail;
    this.extractor = extractor;
    this.nodeEvents = nodeEvents;
    this.events = new EmailEvents(eventLog);
    this.transitions = new Transitions<>(db, ledger, new Transitions.Store<>() {
      @Override
      public Optional<EmailActivation> lock(Handle h, int id) {
        return repository.lock(h, id);
      }

      @Override
      public List<EmailActivation> lockDue(Handle h, Instant now, int limit) {
        return repository.lockDue(h, now, limit, db.isPostgres());
      }

      @Override
      public EmailActivation settle(Handle h, EmailActivation before, EmailActivation after, BalanceMoves moves) {
        return EmailActivations.this.settle(h, before, after, moves);
      }
    }, this::changed);
    nodeEvents.subscribe(CHANNEL, id -> waiters.wake(Integer.parseInt(id)), waiters::wakeAll);
  }

  /** Hears every committed change of an email activation on this node. */
  public void addListener(Consumer<EmailActivation> listener) {
    listeners.add(listener);
  }

  public EmailDomains domains() {
    return domains;
  }

  /**
   * Buys a fresh address on {@code domain} (the cheapest served domain when null) for {@code site}. With an
   * idempotency key, a repeat of the same request returns the first activation; another request under it is refused.
   */
  public EmailActivation purchase(Principal principal, String site, String domain, String idempotencyKey,
      String fingerprint) {
    return counted(() -> buy(principal, site, domain, idempotencyKey, fingerprint, MailFilter.NONE));
  }

  /** Buys a fresh address that waits only for letters that pass {@code filter}. */
  public EmailActivation purchase(Principal principal, String site, String domain, MailFilter filter) {
    return counted(() -> buy(principal, site, domain, null, null, filter));
  }

  private Purchase buy(Principal principal, String site, String domain, String idempotencyKey, String fingerprint,
      MailFilter filter) {
    String forSite = EmailDomains.domainName("site", site);
    String key = idempotencyKey == null ? null : storedKey(principal, idempotencyKey);
    if (key != null) {
      Optional<EmailActivation> replay = replay(principal, key, idempotencyKey, fingerprint);
      if (replay.isPresent()) {
        return new Purchase(replay.get(), true);
      }
    }
    EmailActivation bought;
    try {
      bought = limits.admitted(principal, () -> db.inTransaction(h -> {
        EmailDomains.Offer offer = domains.choose(h, principal.mode(), forSite, domain);
        Instant now = now();
        long mailbox = newMailbox(h, principal, offer.domain(), now);
        return open(h, principal, forSite, offer, mailbox, address(h, mailbox), now,
            opened -> {
              repository.insertFilter(h, opened.id(), filter);
              if (key != null) {
                repository.recordPurchaseKey(h, principal.customerId(), key, fingerprint, opened.id(), now);
              }
            });
      }));
    } catch (UnableToExecuteStatementException e) {
      if (key != null && Database.violatesUnique(e)) {
        return new Purchase(replay(principal, key, idempotencyKey, fingerprint).orElseThrow(() -> new Failure(
            ErrorCode.IDEMPOTENCY_IN_FLIGHT, "a request with this Idempotency-Key is still in progress; retry shortly")),
            true);
      }
      throw e;
    }
    log.info("email activation {} bought: customer={} site={} domain={} price={}", bought.id(), principal.customerId(),
        bought.site(), bought.domain(), bought.price());
    changed(bought);
    return new Purchase(bought, false);
  }

  /** A purchase's activation, and whether it only repeated an earlier purchase under the same idempotency key. */
  private record Purchase(EmailActivation activation, boolean replayed) {}

  /** Counts an email purchase or reorder by how it ended, whichever dialect asked for it. */
  private EmailActivation counted(Supplier<Purchase> purchase) {
    try {
      Purchase done = purchase.get();
      metrics.emailPurchase(done.replayed() ? PurchaseOutcome.REPLAYED : PurchaseOutcome.BOUGHT, null);
      return done.activation();
    } catch (Failure refusal) {
      metrics.emailPurchase(PurchaseOutcome.REFUSED, refusal.code());
      throw refusal;
    } catch (RuntimeException e) {
      metrics.emailPurchase(PurchaseOutcome.FAILED, null);
      throw e;
    }
  }

  /**
   * Waits for another letter on the same address: a new activation, held again at the current price. Possible once
   * the activation received a letter with a code or link (Kopeechka's rule); that activation is finished, since its
   * letter was delivered. Only the newest activation of an address can be reordered.
   */
  public EmailActivation reorder(Principal principal, int id) {
    return reorder(principal, id, MailFilter.NONE);
  }

  /** {@link #reorder(Principal, int)} waiting for letters that pass {@code filter}; the old one's filter when empty. */
  public EmailActivation reorder(Principal principal, int id, MailFilter filter) {
    return counted(() -> new Purchase(reorderNow(principal, id, filter), false));
  }

  private EmailActivation reorderNow(Principal principal, int id, MailFilter filter) {
    Instant now = now();
    Reordered done = db.inTransaction(h -> {
      EmailActivation before = repository.lock(h, id).filter(a -> owns(principal, a)).orElseThrow(() -> notFound(id));
      EmailActivation current = before.asOf(now);
      if (current.value() == null) {
        throw new Failure(ErrorCode.INVALID_STATE,
            "email activation " + id + " has received no letter yet; reorder is possible after the first one");
      }
      EmailActivation latest = repository.lockLatestOnMailbox(h, current.mailboxId()).orElseThrow();
      if (latest.id() != current.id()) {
        throw new Failure(ErrorCode.INVALID_STATE, "address " + current.address() + " was reordered already, as email "
            + "activation " + latest.id());
      }
      EmailDomains.Offer offer = domains.choose(h, principal.mode(), current.site(), current.domain());
      BalanceMoves moves = new BalanceMoves();
      EmailActivation settled = settle(h, before, current, moves);
      EmailActivation finished = settled.status().isLive() ? settle(h, settled, settled.finish(now), moves) : settled;
      ledger.apply(h, moves);
      MailFilter waitsFor = filter.isEmpty() ? repository.filter(h, current.id()) : filter;
      EmailActivation next = open(h, principal, current.site(), offer, current.mailboxId(), current.address(), now,
          opened -> repository.insertFilter(h, opened.id(), waitsFor));
      return new Reordered(before, finished, next);
    });
    if (!done.finished().equals(done.before())) {
      changed(done.finished());
    }
    changed(done.next());
    return done.next();
  }

  private record Reordered(EmailActivation before, EmailActivation finished, EmailActivation next) {}

  /** The customer's newest activation on {@code address}, reordered (Kopeechka names the address, not the id). */
  public EmailActivation reorder(Principal principal, String site, String address, MailFilter filter) {
    String forSite = EmailDomains.domainName("site", site);
    EmailActivation latest = list(principal, null, forSite, address.strip().toLowerCase(Locale.ROOT), Integer.MAX_VALUE, 1)
        .stream().findFirst()
        .orElseThrow(() -> new Failure(ErrorCode.ACTIVATION_NOT_FOUND, "no email activation for " + address));
    return reorder(principal, latest.id(), filter);
  }

  public EmailActivation get(Principal principal, int id) {
    return db.withHandle(h -> repository.find(h, id, principal.customerId(), principal.mode()))
        .orElseThrow(() -> notFound(id));
  }

  /** Newest first, narrowed by status, site and address when they are not null. */
  public List<EmailActivation> list(Principal principal, ActivationStatus status, String site, String address,
      int beforeId, int limit) {
    return db.withHandle(h -> repository.list(h, principal.customerId(), principal.mode(), status, site, address,
        beforeId, limit));
  }

  /** The whole letter that reached this activation last: its HTML when it has some, else its text; empty if none. */
  public Optional<String> fullMessage(Principal principal, int id) {
    get(principal, id);
    return db.withHandle(h -> journal.latestFor(h, id)).map(MailReader::read)
        .map(mail -> mail.html() != null ? mail.html() : mail.text());
  }

  public EmailActivation finish(Principal principal, int id) {
    return transition(principal, id, EmailActivation::finish);
  }

  public EmailActivation cancel(Principal principal, int id) {
    return transition(principal, id, EmailActivation::cancel);
  }

  /** The customer's note on an activation (Kopeechka's comment), at most 200 characters. */
  public EmailActivation comment(Principal principal, int id, String comment) {
    if (comment == null || comment.length() > 200) {
      throw new Failure(ErrorCode.BAD_REQUEST, "comment must be at most 200 characters");
    }
    return db.inTransaction(h -> {
      EmailActivation current = repository.lock(h, id).filter(a -> owns(principal, a)).orElseThrow(() -> notFound(id));
      EmailActivation commented = current.withComment(comment);
      repository.update(h, commented);
      return commented;
    });
  }

  /**
   * A long poll: the activation once it no longer passes {@code unchanged}, or as it is when {@code wait} ran out.
   */
  public CompletableFuture<EmailActivation> awaitChange(Principal principal, int id,
      Predicate<EmailActivation> unchanged, Duration wait) {
    return awaitChange(principal, id, unchanged, System.nanoTime() + wait.toNanos());
  }

  private CompletableFuture<EmailActivation> awaitChange(Principal principal, int id,
      Predicate<EmailActivation> unchanged, long deadline) {
    CompletableFuture<Void> change = waiters.nextChange(id);
    EmailActivation now;
    try {
      now = get(principal, id);
    } catch (RuntimeException refused) {
      change.cancel(false);
      return CompletableFuture.failedFuture(refused);
    }
    long left = deadline - System.nanoTime();
    if (!unchanged.test(now) || left <= 0) {
      change.cancel(false);
      return CompletableFuture.completedFuture(now);
    }
    long park = nodeEvents.listening() ? left : Math.min(left, RECHECK.toNanos());
    return change.completeOnTimeout(null, park, TimeUnit.NANOSECONDS)
        .thenComposeAsync(woken -> awaitChange(principal, id, unchanged, deadline), waiters.readers());
  }

  /** Whether a letter for {@code address} is taken: its mailbox exists and still takes mail. */
  public boolean accepts(String address) {
    String normalised = address.strip().toLowerCase(Locale.ROOT);
    return db.withHandle(h -> repository.openMailbox(h, normalised, clock.instant()).isPresent());
  }

  /**
   * Stores one letter for one recipient in the mail journal and hands it to the newest live activation of that
   * mailbox, in one transaction: when this returns, the letter is committed (the listener may answer 250). A letter
   * whose Message-ID the mailbox has already stored is not stored again. A letter for an address that takes no mail
   * is refused with NOT_FOUND.
   */
  public MailReceipt receive(String recipient, String envelopeFrom, byte[] raw) {
    String address = recipient.strip().toLowerCase(Locale.ROOT);
    ParsedMail mail = MailReader.read(raw);
    MailFindings found = extractor.find(mail);
    String key = messageKey(mail, raw);
    Instant now = now();
    Delivered delivered;
    try {
      delivered = db.inTransaction(h -> deliver(h, address, envelopeFrom, raw, mail, found, key, now));
    } catch (UnableToExecuteStatementException e) {
      if (!Database.violatesUnique(e)) {
        throw e;
      }
      // the same letter, delivered twice at once: the other delivery stored it
      delivered = db.withHandle(h -> new Delivered(repository.findMailbox(h, address)
          .flatMap(mailbox -> journal.find(h, mailbox, key)).orElseThrow(), null, null, true));
    }
    if (delivered.reached() != null && !delivered.reached().equals(delivered.before())) {
      changed(delivered.reached());
    }
    metrics.letter(delivered.duplicate() ? InboundOutcome.DUPLICATE
        : delivered.matched() ? InboundOutcome.MATCHED : InboundOutcome.UNMATCHED);
    log.info("mail {} for {} stored: activation={} duplicate={} code={} link={}", delivered.messageId(), address,
        delivered.reached() == null ? null : delivered.reached().id(), delivered.duplicate(), found.code() != null,
        found.link() != null);
    return new MailReceipt(delivered.messageId(), delivered.reached() == null || !delivered.matched() ? null
        : delivered.reached().id(), delivered.duplicate(), found);
  }

  /** What tells a letter from a repeat of it in one mailbox: its Message-ID, or a digest when it has none. */
  public static String messageKey(ParsedMail mail, byte[] raw) {
    return mail.messageId() != null && mail.messageId().length() <= 200 ? mail.messageId()
        : "sha256:" + ApiKeyFormat.sha256(new String(raw, java.nio.charset.StandardCharsets.ISO_8859_1));
  }

  /** The journal's record of a letter already stored for {@code address}, as a receipt (never a duplicate). */
  public Optional<MailReceipt> stored(String address, String messageKey) {
    return db.withHandle(h -> repository.findMailbox(h, address.strip().toLowerCase(Locale.ROOT))
        .flatMap(mailbox -> journal.receipt(h, mailbox, messageKey)));
  }

  private record Delivered(long messageId, EmailActivation before, EmailActivation reached, boolean duplicate) {
    boolean matched() {
      return reached != null && reached.status().isLive();
    }
  }

  private Delivered deliver(Handle h, String address, String envelopeFrom, byte[] raw, ParsedMail mail,
      MailFindings found, String key, Instant now) {
    long mailbox = repository.findMailbox(h, address)
        .orElseThrow(() -> new Failure(ErrorCode.NOT_FOUND, "no mailbox " + address));
    Optional<Long> stored = journal.find(h, mailbox, key);
    if (stored.isPresent()) {
      return new Delivered(stored.get(), null, null, true);
    }
    long messageId = journal.insert(h, mailbox, key, envelopeFrom, raw, mail, found, now);
    Optional<EmailActivation> latest = repository.lockLatestOnMailbox(h, mailbox);
    if (latest.isEmpty()) {
      return new Delivered(messageId, null, null, false);
    }
    BalanceMoves moves = new BalanceMoves();
    EmailActivation current = settle(h, latest.get(), latest.get().asOf(now), moves);
    ledger.apply(h, moves);
    if (!current.status().isLive()) {
      return new Delivered(messageId, latest.get(), null, false);
    }
    MailFilter filter = repository.filter(h, current.id());
    if (!filter.accepts(mail, envelopeFrom)) {
      return new Delivered(messageId, latest.get(), null, false);
    }
    EmailActivation after = current.receive(mail, filter.findings(mail, found), now);
    if (!after.equals(current)) {
      repository.update(h, after);
      events.changed(h, current, after);
    }
    journal.reached(h, messageId, after.id());
    return new Delivered(messageId, latest.get(), after, false);
  }

  /**
   * Deletes the mail journal's letters received before {@code cutoff} (the operator's {@code mail-retention}): their raw
   * bytes are the bulk of the journal. An activation keeps what it took from its letter.
   */
  public int purgeLettersOlderThan(Instant cutoff) {
    return db.withHandle(h -> journal.purgeOlderThan(h, cutoff));
  }

  /** Ends every live activation whose lifetime is over (see {@link Transitions#sweep}); returns how many it ended. */
  public int sweep() {
    return transitions.sweep(clock.instant());
  }

  /** Applies a customer's action to one of its email activations (see {@link Transitions#apply}). */
  private EmailActivation transition(Principal principal, int id, Transitions.Action<EmailActivation> action) {
    return transitions.apply(id, a -> owns(principal, a), () -> notFound(id), now(), action);
  }

  private EmailActivation settle(Handle h, EmailActivation before, EmailActivation after, BalanceMoves moves) {
    if (after.equals(before)) {
      return after;
    }
    repository.update(h, after);
    events.changed(h, before, after);
    if (before.status().isLive() && !after.status().isLive()) {
      ledger.resolve(h, after.lifecycle().holdId(), ActivationService.holdOutcome(after.status()),
          "email activation " + after.id() + " " + after.status().name().toLowerCase(Locale.ROOT), moves);
    }
    return after;
  }

  /**
   * Opens an activation on a mailbox: keeps the mailbox open for the new lifetime and its late letters, holds the price
   * on the wallet (funding a test wallet that runs short) and writes the activation and its event.
   */
  private EmailActivation open(Handle h, Principal principal, String site, EmailDomains.Offer offer, long mailbox,
      String address, Instant now, Consumer<EmailActivation> alsoRecord) {
    Instant expires = now.plus(lifetime);
    repository.keepOpen(h, mailbox, expires.plus(lateMail));
    long walletId = ledger.walletId(h, principal.customerId(), principal.mode());
    String memo = "mailbox for " + site + " on " + offer.domain();
    Ledger.Hold hold = principal.mode() == Mode.TEST ? wallets.holdOnTestWallet(h, walletId, offer.price(), memo)
        : ledger.hold(h, walletId, offer.price(), memo);
    EmailActivation opened = repository.insert(h, EmailActivation.opened(principal.customerId(), principal.mode(), site,
        offer.domain(), mailbox, address, offer.price(), hold.id(), now, expires));
    events.created(h, opened);
    alsoRecord.accept(opened);
    return opened;
  }

  private long newMailbox(Handle h, Principal principal, String domain, Instant now) {
    for (int attempt = 0; attempt < 5; attempt++) {
      Optional<Long> made = repository.insertMailbox(h, localPart() + "@" + domain, domain, principal.customerId(),
          principal.mode(), now.plus(lifetime).plus(lateMail), now);
      if (made.isPresent()) {
        return made.get();
      }
    }
    throw new IllegalStateException("five random addresses on " + domain + " were all taken");
  }

  private String address(Handle h, long mailbox) {
    return h.createQuery("SELECT address FROM mailbox WHERE id = :id").bind("id", mailbox).mapTo(String.class).one();
  }

  private String localPart() {
    StringBuilder local = new StringBuilder(LOCAL_PART_LENGTH);
    for (int i = 0; i < LOCAL_PART_LENGTH; i++) {
      local.append(LOCAL_PART_ALPHABET.charAt(random.nextInt(LOCAL_PART_ALPHABET.length())));
    }
    return local.toString();
  }

  private Optional<EmailActivation> replay(Principal principal, String key, String presented, String fingerprint) {
    return db.withHandle(h -> {
      Optional<String> stored = repository.purchaseKeyFingerprint(h, principal.customerId(), key);
      if (stored.isEmpty()) {
        return Optional.empty();
      }
      if (!stored.get().equals(fingerprint)) {
        throw new Failure(ErrorCode.IDEMPOTENCY_KEY_REUSED,
            "Idempotency-Key '" + presented + "' was already used with a different request");
      }
      return repository.activationForPurchaseKey(h, principal.customerId(), key)
          .flatMap(id -> repository.find(h, id, principal.customerId(), principal.mode()));
    });
  }

  private static String storedKey(Principal principal, String idempotencyKey) {
    return principal.mode().sqlName() + ":" + ApiKeyFormat.sha256(idempotencyKey);
  }

  private static boolean owns(Principal principal, EmailActivation a) {
    return a.customerId() == principal.customerId() && a.mode() == principal.mode();
  }

  private void changed(EmailActivation after) {
    if (!after.status().isLive()) {
      limits.ended(after.customerId(), after.mode());
    }
    waiters.wake(after.id());
    nodeEvents.publish(CHANNEL, Integer.toString(after.id()));
    listeners.forEach(l -> l.accept(after));
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MICROS);
  }

  private static Failure notFound(int id) {
    return new Failure(ErrorCode.ACTIVATION_NOT_FOUND, "no email activation with id " + id);
  }
}
