package io.verigate.server;

import io.javalin.Javalin;
import io.javalin.http.HttpResponseException;
import io.javalin.json.JavalinJackson;
import org.eclipse.jetty.server.handler.GracefulHandler;
import io.verigate.server.account.AccessGate;
import io.verigate.server.account.Accounts;
import io.verigate.server.account.AddressRange;
import io.verigate.server.account.AdminAuth;
import io.verigate.server.account.LoginThrottle;
import io.verigate.server.account.Logins;
import io.verigate.server.account.ApiKeys;
import io.verigate.server.account.Audit;
import io.verigate.server.account.RateLimits;
import io.verigate.server.activation.ActivationService;
import io.verigate.server.activation.Coverage;
import io.verigate.server.activation.PurchaseHistory;
import io.verigate.server.activation.PurchaseLimits;
import io.verigate.server.catalog.Catalog;
import io.verigate.server.catalog.Prices;
import io.verigate.server.email.EmailActivations;
import io.verigate.server.email.EmailDomains;
import io.verigate.server.email.MailDrop;
import io.verigate.server.email.MailExtractor;
import io.verigate.server.email.smtp.LoopbackSender;
import io.verigate.server.email.smtp.SmtpListener;
import io.verigate.server.email.smtp.TlsContexts;
import io.verigate.server.esim.AiraloSupplier;
import io.verigate.server.esim.AiraloWebhook;
import io.verigate.server.esim.CatalogPricing;
import io.verigate.server.esim.CatalogSync;
import io.verigate.server.esim.EsimPlans;
import io.verigate.server.esim.Esims;
import io.verigate.server.esim.OwnStock;
import io.verigate.server.esim.SandboxEsims;
import io.verigate.server.http.admin.AdminKeyRoutes;
import io.verigate.server.http.admin.AdminOutboxRoutes;
import io.verigate.server.http.admin.AdminRoutes;
import io.verigate.server.http.admin.AdminUpstreamRoutes;
import io.verigate.server.http.admin.AdminWebhookRoutes;
import io.verigate.server.http.dashboard.Dashboard;
import io.verigate.server.http.fivesim.FiveSimRoutes;
import io.verigate.server.http.gateway.AndroidGatewayRoutes;
import io.verigate.server.http.gateway.GenericInboundRoutes;
import io.verigate.server.http.gateway.SmsHubPushRoutes;
import io.verigate.server.http.gateway.TwilioRoutes;
import io.verigate.server.http.gateway.VonageRoutes;
import io.verigate.server.http.email.EmailActivationRoutes;
import io.verigate.server.http.esim.AiraloWebhookRoutes;
import io.verigate.server.http.esim.EsimRoutes;
import io.verigate.server.http.kopeechka.KopeechkaRoutes;
import io.verigate.server.http.legacy.LegacyRoutes;
import io.verigate.server.http.ops.OpsRoutes;
import io.verigate.server.http.quickstart.QuickStartRoutes;
import io.verigate.server.http.rest.ApiDocsRoutes;
import io.verigate.server.http.rest.EventStreamRoutes;
import io.verigate.server.http.rest.KeyRoutes;
import io.verigate.server.http.rest.RestRoutes;
import io.verigate.server.http.rest.WebhookRoutes;
import io.verigate.server.http.support.BodyLimit;
import io.verigate.server.http.support.EarlyRefusals;
import io.verigate.server.http.support.Gate;
import io.verigate.server.http.support.Json;
import io.verigate.server.http.support.Problems;
import io.verigate.server.http.support.SecurityHeaders;
import io.verigate.server.inbound.CodeExtractor;
import io.verigate.server.inbound.InboundPipeline;
import io.verigate.server.inbound.Inbox;
import io.verigate.server.inbound.Reassembly;
import io.verigate.server.inbound.smpp.SmppLinks;
import io.verigate.server.inbound.smshub.PushSms;
import io.verigate.server.inbound.smshub.SmsHub;
import io.verigate.server.inventory.Inventory;
import io.verigate.server.inventory.NumberSource;
import io.verigate.server.inventory.NumberSources;
import io.verigate.server.inventory.Stock;
import io.verigate.server.notify.EventStreams;
import io.verigate.server.notify.Webhooks;
import io.verigate.server.sandbox.Sandbox;
import io.verigate.server.sandbox.SandboxMail;
import io.verigate.server.sandbox.SandboxSupply;
import io.verigate.server.supply.OwnNumbers;
import io.verigate.server.supply.SupplyRouter;
import io.verigate.server.system.Config;
import io.verigate.server.system.ConfigException;
import io.verigate.server.system.DataDirectory;
import io.verigate.server.system.Database;
import io.verigate.server.system.ErrorCode;
import io.verigate.server.system.EventLog;
import io.verigate.server.system.Failure;
import io.verigate.server.system.Metrics;
import io.verigate.server.system.NodeEvents;
import io.verigate.server.system.Outbox;
import io.verigate.server.system.Scheduler;
import io.verigate.server.system.SecretBox;
import io.verigate.server.system.SecretsAtRest;
import io.verigate.server.upstream.Resale;
import io.verigate.server.wallet.Ledger;
import io.verigate.server.wallet.Money;
import io.verigate.server.wallet.Wallets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root: every object of a node is built here with {@code new}, in dependency order, and
 * tests start the product through this same method.
 */
public final class App implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(App.class);
  /** How often the last use of each key is written: often enough to read as "just now", rarely enough to cost nothing. */
  private static final Duration KEY_USE_FLUSH = Duration.ofSeconds(10);
  /** How often full rate-limit budgets are dropped from the database. */
  private static final Duration RATE_LIMIT_HOUSEKEEPING = Duration.ofMinutes(1);
  /** How often the outbox is checked for due items (an item enqueued due now on this node runs at once). */
  private static final Duration OUTBOX_INTERVAL = Duration.ofSeconds(1);
  private static final Duration EVENT_PURGE_INTERVAL = Duration.ofDays(1);

  private final Config config;
  private final Metrics metrics;
  private final Database database;
  private final Scheduler scheduler;
  private final NodeEvents nodeEvents;
  private final Javalin http;
  private final FirstStart.Credentials credentials;
  private final ActivationService activations;
  private final Accounts accounts;
  private final ApiKeys keys;
  private final AccessGate gate;
  private final Logins logins;
  private final Wallets wallets;
  private final Inventory inventory;
  private final NumberSources numberSources;
  private final InboundPipeline pipeline;
  private final Reassembly reassembly;
  private final Inbox inbox;
  private final SmsHub smsHub;
  private final Resale resale;
  private final SmppLinks smppLinks;
  private final Audit audit;
  private final RateLimits rateLimits;
  private final Webhooks webhooks;
  private final Clock clock;
  private final EventLog events;
  private final Outbox outbox;
  /** Runs the outbox on a thread of its own: its runs wait for handlers (up to half a lease), never for a sweep. */
  private final Scheduler outboxRunner = new Scheduler(1);
  /** Whether an outbox run is already scheduled because of an enqueue: a burst of them needs one run, not one each. */
  private final AtomicBoolean outboxWakeScheduled = new AtomicBoolean();
  private final ExecutorService streamReaders;
  private final EventStreams eventStreams;
  private final EmailActivations emailActivations;
  private final Esims esims;
  /** Null without a remote eSIM supplier. */
  private final CatalogSync esimCatalogSync;
  /** Null when the node serves no email domain (or smtp-port is 0): then no SMTP port is opened. */
  private final SmtpListener smtp;
  /** The HTTP requests being handled now, which a graceful stop lets finish. */
  private final GracefulHandler inFlight = new GracefulHandler();

  private App(Config config, Clock clock) {
    this.config = config;
    this.metrics = new Metrics();
    DataDirectory.prepare(config.dataDir());
    this.database = new Database(config, metrics);
    SecretBox secrets = secretsOrClose(config, database);
    this.scheduler = new Scheduler(3);
    this.nodeEvents = NodeEvents.of(database, config);
    this.clock = clock;
    this.events = new EventLog(database, clock, nodeEvents);
    this.outbox = new Outbox(database, clock);
    outbox.whenEnqueued(this::wakeOutbox);
    Catalog catalog = Catalog.load();
    Ledger ledger = new Ledger(database, clock);
    this.audit = new Audit(database, clock);
    this.accounts = new Accounts(database, clock, ledger::openWallets, audit);
    this.keys = new ApiKeys(database, clock, nodeEvents, config.maxKeysPerCustomer(), audit);
    AdminAuth admin = new AdminAuth(database);
    this.wallets = new Wallets(database, ledger, Money.parse(config.sandboxFunding()), audit, events,
        config.currency(), nodeEvents);
    this.inventory = new Inventory(database, clock, audit);
    this.numberSources = new NumberSources(database, clock, audit, metrics, secrets);
    Prices prices = new Prices(database, Money.parse(config.defaultPrice()), nodeEvents, audit);
    NumberSource sandboxSource = numberSources.internal("sandbox", "sandbox");
    this.smsHub = new SmsHub(database, clock, catalog, inventory, numberSources, secrets, config.currency(), nodeEvents,
        outbox);
    this.resale = new Resale(database, clock, numberSources, secrets, keys, inventory, outbox,
        config.upstreamTimeout());
    SupplyRouter supply = new SupplyRouter(database, wallets, new OwnNumbers(inventory),
        List.of(smsHub.supply(), resale.supply()), new SandboxSupply(inventory, sandboxSource.id()));
    PurchaseLimits purchaseLimits = PurchaseLimits.ofSms(database, clock, config.activationLifetime(),
        config.maxLiveActivations(), config.successRateGuard());
    this.activations = new ActivationService(database, clock, catalog, prices, inventory, ledger, wallets, supply,
        config.activationLifetime(), config.earlyCancelGuard(), nodeEvents, metrics, purchaseLimits, events);
    this.rateLimits = RateLimits.of(config, database.dataSource(), clock);
    this.pipeline = new InboundPipeline(database, clock, activations, new CodeExtractor(), numberSources, metrics);
    this.reassembly = new Reassembly(database, pipeline, numberSources, clock);
    this.inbox = new Inbox(database, activations);
    Sandbox sandbox = new Sandbox(activations, pipeline, catalog, events, outbox, scheduler, clock, sandboxSource.id(),
        config.sandboxDeliveryDelay(), config.sandboxSlowDeliveryDelay());
    activations.onEnded(smsHub.finishes());
    resale.listenTo(activations, pipeline);
    this.smppLinks = new SmppLinks(numberSources, reassembly, scheduler, clock);
    this.webhooks = new Webhooks(database, clock, events, outbox, nodeEvents, secrets, catalog,
        config.webhookAllowPrivate(), audit);
    // Streams read the log only when woken, and never wait on a client, so two threads serve every stream.
    this.streamReaders = Executors.newFixedThreadPool(2, daemon("verigate-sse"));
    this.eventStreams = new EventStreams(events::after, streamReaders, clock, config.sseMaxStreams());
    events.onCommitted(eventStreams::committed);
    this.emailActivations = new EmailActivations(database, clock, new EmailDomains(database,
        EmailDomains.configured(config.emailDomains()), config.emailSandboxDomain(),
        Money.parse(config.emailDefaultPrice())), ledger, wallets, config.emailLifetime(), config.emailLateMail(),
        new MailExtractor(new CodeExtractor()), events, nodeEvents, PurchaseLimits.of(database, clock,
        config.emailLifetime(), config.maxLiveActivations(), config.successRateGuard(), PurchaseHistory.EMAIL), metrics);
    this.smtp = config.emailDomains().isEmpty() || config.smtpPort() == 0 ? null
        : new SmtpListener(emailActivations, config.smtpHost(), config.smtpPort(), config.smtpMaxMessageSize(),
            TlsContexts.fromKeystore(config.smtpTlsKeystore(), config.smtpTlsPassword()));
    // The sandbox's letters take the real SMTP path when this node listens, else they go to the intake directly.
    MailDrop mailDrop = smtp != null ? new LoopbackSender(config.smtpHost(), config.smtpPort())
        : (from, to, raw) -> emailActivations.receive(to, from, raw);
    SandboxMail sandboxMail = new SandboxMail(emailActivations, events, outbox, scheduler, mailDrop,
        config.sandboxDeliveryDelay());
    this.credentials = FirstStart.ensure(config, accounts, keys, admin);
    // The embedded database created its files with the process's umask.
    DataDirectory.restrictFiles(config.dataDir());

    this.logins = new Logins(database, clock, accounts, admin, new LoginThrottle(clock), config.dashboardSignUp());
    this.gate = new AccessGate(keys, admin, rateLimits, metrics, clock, logins);
    Gate auth = new Gate(gate, trustedProxies(config));
    Stock stock = new Stock(inventory, catalog);
    RestRoutes rest = new RestRoutes(auth, activations, wallets, catalog, prices, stock, sandbox, config.currency(),
        webhooks);
    QuickStartRoutes quickStart = new QuickStartRoutes(auth, activations, wallets, config.currency());
    FiveSimRoutes fiveSim = new FiveSimRoutes(auth, activations, wallets, catalog, prices, inventory, inbox);
    KeyRoutes customerKeys = new KeyRoutes(auth, keys, clock);
    AdminKeyRoutes adminKeys = new AdminKeyRoutes(auth, accounts, keys, clock);
    WebhookRoutes customerWebhooks = new WebhookRoutes(auth, webhooks);
    AdminWebhookRoutes adminWebhooks = new AdminWebhookRoutes(auth, accounts, webhooks);
    AdminRoutes adminRoutes = new AdminRoutes(auth, accounts, wallets, inventory, numberSources, prices, catalog,
        config.currency(), smsHub, audit);
    AdminOutboxRoutes adminOutbox = new AdminOutboxRoutes(outbox, auth, audit);
    AdminUpstreamRoutes adminUpstreams = new AdminUpstreamRoutes(auth, resale);
    OpsRoutes ops = new OpsRoutes(database, metrics, auth, config.metricsPublic());
    GenericInboundRoutes inbound = new GenericInboundRoutes(auth, numberSources, pipeline, clock);
    AndroidGatewayRoutes androidGateway = new AndroidGatewayRoutes(numberSources, pipeline, clock);
    TwilioRoutes twilio = new TwilioRoutes(numberSources, pipeline, clock);
    VonageRoutes vonage = new VonageRoutes(numberSources, pipeline, reassembly, clock);
    SmsHubPushRoutes smsHubPush = new SmsHubPushRoutes(new PushSms(smsHub.agents(), numberSources, pipeline, clock));
    LegacyRoutes legacy = new LegacyRoutes(auth, activations, wallets, catalog, prices, inventory, inbox,
        config.currency(), clock);
    ApiDocsRoutes apiDocs = new ApiDocsRoutes();
    EmailActivationRoutes emailRoutes = new EmailActivationRoutes(auth, emailActivations, sandboxMail,
        config.currency());
    KopeechkaRoutes kopeechka = new KopeechkaRoutes(auth, emailActivations, wallets);
    OwnStock esimStock = new OwnStock(database, clock, audit, secrets);
    EsimPlans esimPlans = new EsimPlans(database, clock, audit);
    AiraloSupplier airalo = config.esimAiraloClientId().isEmpty() ? null : new AiraloSupplier(config.esimAiraloUrl(),
        config.esimAiraloClientId(), config.esimAiraloClientSecret(), clock);
    this.esims = new Esims(database, clock, ledger, wallets, esimPlans, esimStock, new SandboxEsims(), airalo, events,
        secrets);
    this.esimCatalogSync = airalo == null ? null
        : new CatalogSync(airalo, esimPlans, CatalogPricing.parse(config.esimAiraloPriceRule()));
    EsimRoutes esimRoutes = new EsimRoutes(auth, esims, esimStock, esimCatalogSync, config.currency());
    AiraloWebhookRoutes airaloWebhooks = airalo == null || config.esimAiraloWebhookPath().isEmpty() ? null
        : new AiraloWebhookRoutes(config.esimAiraloWebhookPath(),
            new AiraloWebhook(config.esimAiraloClientSecret(), esims));
    EventStreamRoutes streams = new EventStreamRoutes(auth, activations, eventStreams);
    Dashboard dashboard = new Dashboard(new Dashboard.Services(logins, gate, accounts, keys, wallets, activations,
        catalog, prices, stock, new Coverage(database, clock, catalog, prices, stock), inventory, numberSources,
        webhooks, emailActivations, esims, audit), auth, streams, config.currency(), clock);
    EarlyRefusals earlyRefusals = new EarlyRefusals(Map.of(
        LegacyRoutes.PREFIX, LegacyRoutes::refuseUnread,
        FiveSimRoutes.PREFIX, FiveSimRoutes::refuseUnread,
        SmsHubPushRoutes.PATH, SmsHubPushRoutes::refuseUnread));
    BodyLimit bodyLimit = new BodyLimit(earlyRefusals);
    this.http = Javalin.create(cfg -> {
      cfg.startup.showJavalinBanner = false;
      cfg.jetty.modifyHttpConfiguration(httpConfig -> {
        httpConfig.setUriCompliance(EarlyRefusals.URI_COMPLIANCE);
        httpConfig.addCustomizer(new SecurityHeaders());
      });
      cfg.jetty.modifyServer(server -> {
        server.setErrorHandler(earlyRefusals);
        // A stop waits up to shutdown-grace for the requests in flight (counted here), no longer taking new ones.
        // Connections idle for a second once the stop began are closed (Jetty's default): keep-alive connections
        // would otherwise hold the stop for the whole grace.
        server.insertHandler(inFlight);
        server.setStopTimeout(config.shutdownGrace().toMillis());
      });
      cfg.http.prefer405over404 = true;
      cfg.http.maxRequestSize = BodyLimit.MAX_BYTES;
      cfg.jsonMapper(new JavalinJackson(Json.MAPPER, false));
      cfg.routes.before(bodyLimit::refuseDeclared);
      cfg.requestLogger.http(ops::measure);
      ops.register(cfg.routes);
      rest.register(cfg.routes);
      streams.register(cfg.routes);
      customerKeys.register(cfg.routes);
      quickStart.register(cfg.routes);
      fiveSim.register(cfg.routes);
      adminRoutes.register(cfg.routes);
      adminKeys.register(cfg.routes);
      adminOutbox.register(cfg.routes);
      adminUpstreams.register(cfg.routes);
      customerWebhooks.register(cfg.routes);
      adminWebhooks.register(cfg.routes);
      inbound.register(cfg.routes);
      androidGateway.register(cfg.routes);
      twilio.register(cfg.routes);
      vonage.register(cfg.routes);
      smsHubPush.register(cfg.routes);
      legacy.register(cfg.routes);
      emailRoutes.register(cfg.routes);
      kopeechka.register(cfg.routes);
      esimRoutes.register(cfg.routes);
      if (airaloWebhooks != null) {
        airaloWebhooks.register(cfg.routes);
      }
      apiDocs.register(cfg.routes);
      dashboard.register(cfg.routes);
      cfg.routes.exception(Failure.class, (failure, ctx) -> Problems.write(ctx, failure));
      cfg.routes.exception(HttpResponseException.class, (e, ctx) -> {
        if (BodyLimit.exceeded(e)) {
          bodyLimit.refuse(ctx);
        } else {
          Problems.write(ctx, ErrorCode.forStatus(e.getStatus()), e.getMessage());
        }
      });
      cfg.routes.exception(Exception.class, (e, ctx) -> {
        log.error("unhandled error on {} {}", ctx.method(), ctx.path(), e);
        Problems.write(ctx, ErrorCode.INTERNAL, "internal error; the operator's log has the details");
      });
      cfg.routes.error(404, "*", ctx -> {
        if (ctx.result() == null || ctx.result().isEmpty()) {
          Problems.write(ctx, ErrorCode.NOT_FOUND, "no such endpoint: " + ctx.method() + " " + ctx.path());
        }
      });
    });
  }

  private static List<AddressRange> trustedProxies(Config config) {
    try {
      return AddressRange.parseList(config.trustedProxies());
    } catch (Failure bad) {
      throw new ConfigException("trusted-proxies: " + bad.getMessage());
    }
  }

  /** The node's master key; a node that cannot have it does not start, and leaves no pool open behind. */
  private static SecretBox secretsOrClose(Config config, Database database) {
    try {
      return SecretsAtRest.open(config, database);
    } catch (RuntimeException e) {
      database.close();
      throw e;
    }
  }

  private static ThreadFactory daemon(String name) {
    AtomicInteger n = new AtomicInteger();
    return task -> {
      Thread thread = new Thread(task, name + "-" + n.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }

  public static App create(Config config) {
    return create(config, Clock.systemUTC());
  }

  public static App create(Config config, Clock clock) {
    return new App(config, clock);
  }

  public App start() {
    nodeEvents.start();
    http.start(config.host(), config.port());
    scheduler.every(config.sweepInterval(), "expiry sweep", activations::sweep);
    scheduler.every(config.sweepInterval(), "email expiry sweep", emailActivations::sweep);
    scheduler.every(Reassembly.SWEEP, "reassembly sweep", reassembly::sweep);
    scheduler.every(KEY_USE_FLUSH, "key use flush", keys::flushUses);
    scheduler.every(KEY_USE_FLUSH, "source traffic flush", numberSources.traffic()::flush);
    scheduler.every(RATE_LIMIT_HOUSEKEEPING, "rate-limit housekeeping", rateLimits::removeExpired);
    scheduler.every(RATE_LIMIT_HOUSEKEEPING, "dashboard session housekeeping", logins::removeExpired);
    outboxRunner.every(OUTBOX_INTERVAL, "outbox", outbox::runDue);
    scheduler.every(EVENT_PURGE_INTERVAL, "event retention", this::purgeOldEvents);
    scheduler.every(EVENT_PURGE_INTERVAL, "mail retention", this::purgeOldLetters);
    scheduler.every(EventStreams.KEEP_ALIVE, "event stream keep-alive", eventStreams::keepAlive);
    if (esimCatalogSync != null) {
      // The first sync soon after start, so a node newly given Airalo's credentials sells its packages within a minute.
      scheduler.after(Duration.ofSeconds(30), "esim catalog sync", esimCatalogSync::runScheduled);
      scheduler.every(config.esimAiraloSyncInterval(), "esim catalog sync", esimCatalogSync::runScheduled);
    }
    smppLinks.start();
    smsHub.start();
    resale.start();
    if (smtp != null) {
      smtp.start();
    }
    log.info("Verigate listening on port {} ({})", http.port(), config.describe());
    return this;
  }

  private void wakeOutbox() {
    if (outboxWakeScheduled.compareAndSet(false, true)) {
      outboxRunner.after(Duration.ZERO, "outbox", () -> {
        outboxWakeScheduled.set(false);
        outbox.runDue();
      });
    }
  }

  private void purgeOldLetters() {
    java.time.Instant cutoff = clock.instant().minus(config.mailRetention());
    log.info("retention: {} letters received before {} deleted from the mail journal",
        emailActivations.purgeLettersOlderThan(cutoff), cutoff);
  }

  private void purgeOldEvents() {
    java.time.Instant cutoff = clock.instant().minus(config.eventRetention());
    int events = this.events.purgeOlderThan(cutoff);
    int items = outbox.purgeDoneOlderThan(cutoff);
    int deliveries = webhooks.purgeFinishedOlderThan(cutoff);
    log.info("retention: {} events, {} completed outbox items and {} finished webhook deliveries older than {} deleted",
        events, items, deliveries, cutoff);
  }

  public int port() {
    return http.port();
  }

  /** HTTP requests being handled now (a parked long poll counts until it is answered). */
  public long requestsInFlight() {
    return inFlight.getCurrentRequestCount();
  }

  /** Every HTTP route as {@code "METHOD /path"}, e.g. for checking that the API document covers them all. */
  public java.util.SortedSet<String> routes() {
    return http.unsafe.internalRouter.allHttpHandlers().stream()
        .map(parsed -> parsed.endpoint)
        .filter(endpoint -> endpoint.method.isHttpMethod())
        .map(endpoint -> endpoint.method.name() + " " + endpoint.path)
        .collect(java.util.stream.Collectors.toCollection(java.util.TreeSet::new));
  }

  public FirstStart.Credentials credentials() {
    return credentials;
  }

  public ActivationService activations() {
    return activations;
  }

  public Accounts accounts() {
    return accounts;
  }

  public ApiKeys keys() {
    return keys;
  }

  public AccessGate gate() {
    return gate;
  }

  public Wallets wallets() {
    return wallets;
  }

  public Inventory inventory() {
    return inventory;
  }

  public NumberSources numberSources() {
    return numberSources;
  }

  public InboundPipeline pipeline() {
    return pipeline;
  }

  public Inbox inbox() {
    return inbox;
  }

  public EmailActivations emailActivations() {
    return emailActivations;
  }

  public Esims esims() {
    return esims;
  }

  /** The port the SMTP listener took, or 0 when this node runs none. */
  public int smtpPort() {
    return smtp == null ? 0 : smtp.port();
  }

  public Database database() {
    return database;
  }

  public SmsHub smsHub() {
    return smsHub;
  }

  public Resale resale() {
    return resale;
  }

  public Audit audit() {
    return audit;
  }

  public EventLog events() {
    return events;
  }

  public Outbox outbox() {
    return outbox;
  }

  public Webhooks webhooks() {
    return webhooks;
  }

  public Metrics metrics() {
    return metrics;
  }

  /** The Server-Sent Event streams open on this node. */
  public EventStreams eventStreams() {
    return eventStreams;
  }

  /** The node's request budgets, for the access gate (and tests) to spend from. */
  public RateLimits rateLimits() {
    return rateLimits;
  }

  /**
   * Stops the node as SIGTERM asks: no new requests, those in flight finish (up to {@code shutdown-grace}), long polls
   * and event streams answer now, then the SMPP binds, background work and the pool close. Each step is logged.
   */
  @Override
  public void close() {
    long started = System.nanoTime();
    log.info("Verigate stopping: no new requests; those in flight may finish within {}", config.shutdownGrace());
    int streams = eventStreams.openStreams();
    eventStreams.close(); // open streams would hold the HTTP server's graceful stop
    int polls = activations.answerLongPollsNow();
    long requests = requestsInFlight();
    boolean cut = false;
    try {
      http.stop();
    } catch (RuntimeException gaveUp) {
      cut = true; // Jetty waited shutdown-grace, then stopped anyway and closed the connections still busy
    }
    log.info("HTTP stopped in {} ms: {} requests were in flight ({} long polls answered early, {} event streams "
        + "closed){}", millisSince(started), requests, polls, streams,
        cut ? "; those still running after shutdown-grace were cut" : ", all answered");
    streamReaders.shutdownNow();
    int binds = smppLinks.size();
    smppLinks.close();
    log.info("SMPP: {} binds closed", binds);
    // The SMTP listener closes after HTTP and before the pool, so no letter is taken half way.
    if (smtp != null) {
      smtp.close();
      log.info("SMTP listener closed");
    }
    smsHub.close();
    resale.close();
    scheduler.close();
    outboxRunner.close();
    outbox.close();
    keys.flushUses();
    try {
      numberSources.traffic().flush();
    } catch (RuntimeException e) {
      log.warn("the last source traffic counts were not written: {}", e.toString());
    }
    nodeEvents.close();
    database.close();
    log.info("Verigate stopped in {} ms", millisSince(started));
  }

  private static long millisSince(long nanoTime) {
    return Duration.ofNanos(System.nanoTime() - nanoTime).toMillis();
  }
}
