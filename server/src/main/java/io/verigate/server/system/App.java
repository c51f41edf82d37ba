package io.verigate.server.system;

import io.javalin.Javalin;
import io.javalin.http.HttpResponseException;
import io.javalin.json.JavalinJackson;
import io.verigate.server.account.Accounts;
import io.verigate.server.account.AdminAuth;
import io.verigate.server.activation.ActivationService;
import io.verigate.server.catalog.Catalog;
import io.verigate.server.catalog.Prices;
import io.verigate.server.http.admin.AdminRoutes;
import io.verigate.server.http.fivesim.FiveSimRoutes;
import io.verigate.server.http.legacy.LegacyRoutes;
import io.verigate.server.http.quickstart.QuickStartRoutes;
import io.verigate.server.http.rest.ApiDocsRoutes;
import io.verigate.server.http.rest.RestRoutes;
import io.verigate.server.http.support.Authenticated;
import io.verigate.server.http.support.EarlyRefusals;
import io.verigate.server.http.support.Json;
import io.verigate.server.http.support.Problems;
import io.verigate.server.inbound.CodeExtractor;
import io.verigate.server.inbound.Inbox;
import io.verigate.server.inbound.InboundPipeline;
import io.verigate.server.inbound.Reassembly;
import io.verigate.server.inbound.http.AndroidGatewayRoutes;
import io.verigate.server.inbound.http.GenericInboundRoutes;
import io.verigate.server.inbound.http.TwilioRoutes;
import io.verigate.server.inbound.http.VonageRoutes;
import io.verigate.server.inbound.smpp.SmppLinks;
import io.verigate.server.inbound.smshub.PushSmsRoutes;
import io.verigate.server.inbound.smshub.SmsHub;
import io.verigate.server.inventory.Inventory;
import io.verigate.server.inventory.NumberSource;
import io.verigate.server.inventory.NumberSources;
import io.verigate.server.inventory.Stock;
import io.verigate.server.sandbox.Sandbox;
import io.verigate.server.sandbox.SandboxSupply;
import io.verigate.server.supply.OwnNumbers;
import io.verigate.server.supply.SupplyRouter;
import io.verigate.server.wallet.Ledger;
import io.verigate.server.wallet.Money;
import io.verigate.server.wallet.Wallets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root: every object of a node is built here with {@code new}, in dependency order, and
 * tests start the product through this same method.
 */
public final class App implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(App.class);

  private final Config config;
  private final Database database;
  private final Scheduler scheduler;
  private final NodeEvents nodeEvents;
  private final Javalin http;
  private final FirstStart.Credentials credentials;
  private final ActivationService activations;
  private final Accounts accounts;
  private final Wallets wallets;
  private final Inventory inventory;
  private final NumberSources numberSources;
  private final InboundPipeline pipeline;
  private final Reassembly reassembly;
  private final Inbox inbox;
  private final SmsHub smsHub;
  private final SmppLinks smppLinks;

  private App(Config config, Clock clock) {
    this.config = config;
    this.database = new Database(config);
    this.scheduler = new Scheduler(2);
    this.nodeEvents = NodeEvents.of(database, config);
    Catalog catalog = Catalog.load();
    Ledger ledger = new Ledger(database, clock);
    this.accounts = new Accounts(database, clock, nodeEvents, ledger::openWallets);
    AdminAuth admin = new AdminAuth(database);
    this.wallets = new Wallets(database, ledger, Money.parse(config.sandboxFunding()));
    this.inventory = new Inventory(database, clock);
    this.numberSources = new NumberSources(database, clock);
    Prices prices = new Prices(database, Money.parse(config.defaultPrice()), nodeEvents);
    NumberSource sandboxSource = numberSources.internal("sandbox", "sandbox");
    this.smsHub = new SmsHub(database, clock, catalog, inventory, numberSources, config.currency(), nodeEvents);
    SupplyRouter supply = new SupplyRouter(database, wallets, new OwnNumbers(inventory), List.of(smsHub.supply()),
        new SandboxSupply(inventory, sandboxSource.id()));
    this.activations = new ActivationService(database, clock, catalog, prices, inventory, ledger, wallets, supply,
        config.activationLifetime(), config.earlyCancelGuard(), nodeEvents);
    this.pipeline = new InboundPipeline(database, clock, activations, new CodeExtractor());
    this.reassembly = new Reassembly(database, pipeline, numberSources, clock);
    this.inbox = new Inbox(database, activations);
    Sandbox sandbox = new Sandbox(activations, pipeline, catalog, scheduler, clock, sandboxSource.id(),
        config.sandboxDeliveryDelay(), config.sandboxSlowDeliveryDelay());
    activations.addListener(sandbox);
    activations.addListener(smsHub.finishes());
    this.smppLinks = new SmppLinks(numberSources, reassembly, scheduler, clock);
    this.credentials = FirstStart.ensure(config, accounts, admin);

    Authenticated auth = new Authenticated(accounts);
    RestRoutes rest = new RestRoutes(auth, activations, wallets, catalog, prices, new Stock(inventory, catalog), sandbox,
        config.currency());
    QuickStartRoutes quickStart = new QuickStartRoutes(auth, activations, wallets, config.currency());
    FiveSimRoutes fiveSim = new FiveSimRoutes(auth, activations, wallets, catalog, prices, inventory, inbox);
    AdminRoutes adminRoutes = new AdminRoutes(admin, accounts, wallets, inventory, numberSources, prices, catalog,
        config.currency(), smsHub);
    GenericInboundRoutes inbound = new GenericInboundRoutes(numberSources, pipeline, clock);
    AndroidGatewayRoutes androidGateway = new AndroidGatewayRoutes(numberSources, pipeline, clock);
    TwilioRoutes twilio = new TwilioRoutes(numberSources, pipeline, clock);
    VonageRoutes vonage = new VonageRoutes(numberSources, pipeline, reassembly, clock);
    PushSmsRoutes smsHubPush = new PushSmsRoutes(smsHub.agents(), numberSources, pipeline, clock);
    LegacyRoutes legacy = new LegacyRoutes(accounts, activations, wallets, catalog, prices, inventory, inbox,
        config.currency());
    ApiDocsRoutes apiDocs = new ApiDocsRoutes();
    EarlyRefusals earlyRefusals = new EarlyRefusals(Map.of(
        LegacyRoutes.PREFIX, LegacyRoutes::refuseUnread,
        FiveSimRoutes.PREFIX, FiveSimRoutes::refuseUnread));
    this.http = Javalin.create(cfg -> {
      cfg.startup.showJavalinBanner = false;
      cfg.jetty.modifyHttpConfiguration(httpConfig -> httpConfig.setUriCompliance(EarlyRefusals.URI_COMPLIANCE));
      cfg.jetty.modifyServer(server -> server.setErrorHandler(earlyRefusals));
      cfg.http.prefer405over404 = true;
      cfg.jsonMapper(new JavalinJackson(Json.MAPPER, false));
      cfg.routes.get("/health", ctx -> ctx.json(Map.of("status", "UP")));
      rest.register(cfg.routes);
      quickStart.register(cfg.routes);
      fiveSim.register(cfg.routes);
      adminRoutes.register(cfg.routes);
      inbound.register(cfg.routes);
      androidGateway.register(cfg.routes);
      twilio.register(cfg.routes);
      vonage.register(cfg.routes);
      smsHubPush.register(cfg.routes);
      legacy.register(cfg.routes);
      apiDocs.register(cfg.routes);
      cfg.routes.exception(Failure.class, (failure, ctx) -> Problems.write(ctx, failure));
      cfg.routes.exception(HttpResponseException.class, (e, ctx) -> Problems.write(ctx, ErrorCode.forStatus(e.getStatus()), e.getMessage()));
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
    scheduler.every(Reassembly.SWEEP, "reassembly sweep", reassembly::sweep);
    smppLinks.start();
    smsHub.start();
    log.info("Verigate listening on port {} ({})", http.port(), config.describe());
    return this;
  }

  public int port() {
    return http.port();
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

  public Database database() {
    return database;
  }

  public SmsHub smsHub() {
    return smsHub;
  }

  /** Stops taking requests, lets in-flight ones finish, then stops background work and the pool. */
  @Override
  public void close() {
    http.stop();
    smppLinks.close();
    smsHub.close();
    scheduler.close();
    nodeEvents.close();
    database.close();
  }
}
