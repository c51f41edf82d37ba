package io.verigate.server.http.dashboard;

import io.javalin.config.RoutesConfig;
import io.verigate.server.account.AccessGate;
import io.verigate.server.account.Accounts;
import io.verigate.server.account.Audit;
import io.verigate.server.account.ApiKeys;
import io.verigate.server.account.Logins;
import io.verigate.server.activation.ActivationService;
import io.verigate.server.activation.Coverage;
import io.verigate.server.catalog.Catalog;
import io.verigate.server.catalog.Prices;
import io.verigate.server.email.EmailActivations;
import io.verigate.server.esim.Esims;
import io.verigate.server.http.rest.EventStreamRoutes;
import io.verigate.server.http.support.Gate;
import io.verigate.server.inventory.Inventory;
import io.verigate.server.inventory.NumberSources;
import io.verigate.server.inventory.Stock;
import io.verigate.server.notify.Webhooks;
import io.verigate.server.wallet.Wallets;
import java.time.Clock;

/**
 * The web dashboard the node serves on its own port (see docs/dashboard.md): public coverage pages, the customer's
 * pages and the operator's, rendered on the server with a little htmx. It holds no rule of its own: every page calls
 * the core services the APIs call.
 */
public final class Dashboard {
  /** The core services the pages call, as {@link io.verigate.server.App} built them. */
  public record Services(Logins logins, AccessGate accessGate, Accounts accounts, ApiKeys keys, Wallets wallets,
      ActivationService activations, Catalog catalog, Prices prices, Stock stock, Coverage coverage,
      Inventory inventory, NumberSources numberSources, Webhooks webhooks, EmailActivations emails, Esims esims,
      Audit audit) {}

  private final Pages pages = new Pages();
  private final CoveragePages coverage;
  private final LoginPages logins;
  private final CustomerPages customers;
  private final WebhookPages webhooks;
  private final PurchasePages purchases;
  private final OperatorPages operator;
  private final DeliveryPages delivery;
  private final PricePages prices;
  private final AuditPages audit;

  public Dashboard(Services services, Gate gate, EventStreamRoutes streams, String currency, Clock clock) {
    Sessions sessions = new Sessions(services.logins(), services.accessGate(), gate);
    this.coverage = new CoveragePages(pages, services.coverage(), services.activations(), currency);
    this.logins = new LoginPages(pages, sessions);
    CustomerView view = new CustomerView(sessions, currency);
    this.customers = new CustomerPages(pages, sessions, view, services.wallets(), services.keys(),
        services.activations(), services.catalog(), services.prices(), services.stock(), streams, currency, clock);
    this.webhooks = new WebhookPages(pages, sessions, view, services.webhooks());
    this.purchases = new PurchasePages(pages, sessions, view, services.emails(), services.esims(), clock);
    OperatorView operatorView = new OperatorView(sessions, currency);
    this.operator = new OperatorPages(pages, sessions, operatorView, services.accounts(), services.wallets(),
        services.inventory(), services.numberSources(), currency, clock);
    this.delivery = new DeliveryPages(pages, sessions, operatorView, services.coverage(), services.catalog());
    this.prices = new PricePages(pages, sessions, operatorView, services.prices(), services.catalog());
    this.audit = new AuditPages(pages, sessions, operatorView, services.audit());
  }

  public void register(RoutesConfig routes) {
    pages.register(routes);
    coverage.register(routes);
    logins.register(routes);
    customers.register(routes);
    webhooks.register(routes);
    purchases.register(routes);
    operator.register(routes);
    delivery.register(routes);
    prices.register(routes);
    audit.register(routes);
  }
}
