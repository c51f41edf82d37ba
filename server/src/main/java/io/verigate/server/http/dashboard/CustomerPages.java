package io.verigate.server.http.dashboard;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.verigate.server.account.Actor;
import io.verigate.server.account.AddressRange;
import io.verigate.server.account.ApiKeys;
import io.verigate.server.account.Mode;
import io.verigate.server.account.Operation;
import io.verigate.server.account.Principal;
import io.verigate.server.account.Scope;
import io.verigate.server.activation.Activation;
import io.verigate.server.activation.ActivationFilter;
import io.verigate.server.activation.ActivationService;
import io.verigate.server.activation.ActivationStatus;
import io.verigate.server.activation.PurchaseRequest;
import io.verigate.server.catalog.Catalog;
import io.verigate.server.catalog.Country;
import io.verigate.server.catalog.Offers;
import io.verigate.server.catalog.Prices;
import io.verigate.server.catalog.TargetService;
import io.verigate.server.http.rest.EventStreamRoutes;
import io.verigate.server.http.support.Requests;
import io.verigate.server.inventory.Inventory;
import io.verigate.server.inventory.Stock;
import io.verigate.server.system.ErrorCode;
import io.verigate.server.system.Failure;
import io.verigate.server.wallet.Balance;
import io.verigate.server.wallet.LedgerEntry;
import io.verigate.server.wallet.Money;
import io.verigate.server.wallet.Wallets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The customer's side of the dashboard under {@code /dashboard}: the wallet, API keys, buying a number and watching
 * its code arrive, and the activation history (log-in and sign-up are {@link LoginPages}, webhooks
 * {@link WebhookPages}). Every page acts in one mode, live or sandbox (test),
 * named by its {@code mode} parameter, and calls the same core services as the REST API.
 */
final class CustomerPages {
  private static final int HISTORY = 20;
  private static final Duration ROTATION_OVERLAP = Duration.ofDays(1);
  private static final int HISTORY_PAGE = 50;
  /** An export is one request: large enough for any month of a busy customer, small enough to build in memory. */
  private static final int EXPORT_MAX = 10_000;

  private final Pages pages;
  private final Sessions sessions;
  private final CustomerView view;
  private final Wallets wallets;
  private final ApiKeys keys;
  private final ActivationService activations;
  private final Catalog catalog;
  private final Prices prices;
  private final Stock stock;
  private final EventStreamRoutes streams;
  private final String currency;
  private final Clock clock;

  CustomerPages(Pages pages, Sessions sessions, CustomerView view, Wallets wallets, ApiKeys keys,
      ActivationService activations, Catalog catalog, Prices prices, Stock stock, EventStreamRoutes streams,
      String currency, Clock clock) {
    this.clock = clock;
    this.view = view;
    this.prices = prices;
    this.stock = stock;
    this.pages = pages;
    this.sessions = sessions;
    this.wallets = wallets;
    this.keys = keys;
    this.activations = activations;
    this.catalog = catalog;
    this.streams = streams;
    this.currency = currency;
  }

  void register(RoutesConfig routes) {
    routes.get("/dashboard", pages.page(this::overview));
    routes.post("/dashboard/threshold", pages.page(this::setThreshold));
    routes.get("/dashboard/keys", pages.page(ctx -> keysPage(ctx, null, null)));
    routes.post("/dashboard/keys", pages.page(this::createKey));
    routes.post("/dashboard/keys/{keyId}/revoke", pages.page(this::revokeKey));
    routes.post("/dashboard/keys/{keyId}/rotate", pages.page(this::rotateKey));
    routes.get("/dashboard/buy", pages.page(ctx -> buyPage(ctx, null)));
    routes.post("/dashboard/buy", pages.page(this::buy));
    routes.get("/dashboard/buy/countries", pages.page(this::countryOptions));
    routes.get("/dashboard/activations", pages.page(this::history));
    routes.get("/dashboard/activations.csv", pages.page(this::export));
    routes.get("/dashboard/activations/{id}", pages.page(this::activation));
    routes.get("/dashboard/activations/{id}/panel", pages.page(this::panel));
    routes.get("/dashboard/activations/{id}/events",
        ctx -> streams.open(ctx, sessions.customer(ctx, mode(ctx), Operation.POLL), id(ctx)));
    routes.post("/dashboard/activations/{id}/finish", pages.page(ctx -> change(ctx, true)));
    routes.post("/dashboard/activations/{id}/cancel", pages.page(ctx -> change(ctx, false)));
  }

  // --- the wallet -----------------------------------------------------------------------------------------------

  private void overview(Context ctx) {
    Mode mode = mode(ctx);
    Principal principal = sessions.customer(ctx, mode, Operation.READ);
    Balance balance = wallets.balance(principal.customerId(), mode);
    Map<String, Object> model = model(ctx, principal, "Wallet");
    model.put("balance", balance.available().toDecimalString());
    model.put("held", balance.held().toDecimalString());
    model.put("threshold", wallets.lowBalanceThreshold(principal.customerId(), mode).map(Money::toDecimalString)
        .orElse(""));
    model.put("entries", wallets.history(principal.customerId(), mode, Long.MAX_VALUE, HISTORY).stream()
        .map(CustomerPages::entry).toList());
    pages.render(ctx, "overview", model);
  }

  private static Map<String, Object> entry(LedgerEntry e) {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("id", e.id());
    row.put("type", e.kind().name().toLowerCase(java.util.Locale.ROOT));
    row.put("amount", e.amount().toDecimalString());
    row.put("memo", e.memo() == null ? "" : e.memo());
    row.put("at", Pages.when(e.createdAt()));
    return row;
  }

  private void setThreshold(Context ctx) {
    sessions.checkForm(ctx);
    Mode mode = mode(ctx);
    Principal principal = sessions.customer(ctx, mode, Operation.MANAGE_WEBHOOKS);
    String threshold = ctx.formParam("threshold");
    wallets.setLowBalanceThreshold(actor(ctx, principal), principal.customerId(), mode,
        threshold == null || threshold.isBlank() ? null : Money.parse(threshold.trim()));
    ctx.redirect("/dashboard?mode=" + modeName(mode), HttpStatus.SEE_OTHER);
  }

  // --- API keys -------------------------------------------------------------------------------------------------

  private void keysPage(Context ctx, ApiKeys.IssuedKey issued, Failure refusal) {
    Mode mode = mode(ctx);
    Principal principal = sessions.customer(ctx, mode, Operation.MANAGE_KEYS);
    Instant now = clock.instant();
    Map<String, Object> model = model(ctx, principal, "API keys");
    model.put("issued", issued == null ? null : issued.secret());
    model.put("error", refusal == null ? null : refusal.getMessage());
    model.put("keys", keys.list(principal).stream().map(k -> {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("id", k.keyId());
      row.put("label", k.label() == null ? "" : k.label());
      row.put("scopes", Scope.format(k.scopes()));
      row.put("state", k.stateAt(now).name().toLowerCase(java.util.Locale.ROOT));
      row.put("active", k.stateAt(now) == ApiKeys.State.ACTIVE);
      row.put("rotatable", k.stateAt(now) == ApiKeys.State.ACTIVE && k.replacedBy() == null);
      row.put("created", Pages.when(k.createdAt()));
      row.put("lastUsed", k.lastUsedAt() == null ? "never" : Pages.when(k.lastUsedAt()));
      row.put("allowed", k.allowedIps().isEmpty() ? "any address" : AddressRange.format(k.allowedIps()));
      row.put("expires", k.expiresAt() == null ? "never" : Pages.when(k.expiresAt()));
      return row;
    }).toList());
    pages.render(ctx, "keys", model);
  }

  private void createKey(Context ctx) {
    sessions.checkForm(ctx);
    Mode mode = mode(ctx);
    Principal principal = sessions.customer(ctx, mode, Operation.MANAGE_KEYS);
    String label = ctx.formParam("label");
    ApiKeys.IssuedKey issued;
    try {
      issued = keys.issue(principal, sessions.clientAddress(ctx), new ApiKeys.NewKey(mode,
          label == null || label.isBlank() ? null : label.trim(), Scope.parseAll(ctx.formParams("scope")),
          AddressRange.parseList(ctx.formParam("allow")), endOfDay(ctx.formParam("expires"))));
    } catch (Failure refusal) {
      ctx.status(refusal.code().httpStatus());
      keysPage(ctx, null, refusal);
      return;
    }
    ctx.status(HttpStatus.CREATED);
    keysPage(ctx, issued, null);
  }

  /** The form's expiry is a date: the key works through that whole day (UTC). Empty: it never expires. */
  private static Instant endOfDay(String date) {
    if (date == null || date.isBlank()) {
      return null;
    }
    try {
      return LocalDate.parse(date.strip()).plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
    } catch (DateTimeParseException e) {
      throw new Failure(ErrorCode.BAD_REQUEST, "the expiry must be a date such as 2027-01-31, got '" + date + "'");
    }
  }

  private void revokeKey(Context ctx) {
    sessions.checkForm(ctx);
    Mode mode = mode(ctx);
    Principal principal = sessions.customer(ctx, mode, Operation.MANAGE_KEYS);
    keys.revoke(principal, sessions.clientAddress(ctx), ctx.pathParam("keyId"));
    ctx.redirect("/dashboard/keys?mode=" + modeName(mode), HttpStatus.SEE_OTHER);
  }

  /** A new secret for a key; the old one keeps working for a day, time to deploy the new one. */
  private void rotateKey(Context ctx) {
    sessions.checkForm(ctx);
    Mode mode = mode(ctx);
    Principal principal = sessions.customer(ctx, mode, Operation.MANAGE_KEYS);
    ApiKeys.IssuedKey issued = keys.rotate(principal, sessions.clientAddress(ctx), ctx.pathParam("keyId"),
        ROTATION_OVERLAP);
    ctx.status(HttpStatus.CREATED);
    keysPage(ctx, issued, null);
  }

  // --- buying and watching a number -----------------------------------------------------------------------------

  private void buyPage(Context ctx, Failure refusal) {
    Mode mode = mode(ctx);
    Principal principal = sessions.customer(ctx, mode, Operation.READ);
    Map<String, Object> model = model(ctx, principal, "Buy a number");
    String chosen = ctx.formParam("service") != null ? ctx.formParam("service") : ctx.queryParam("service");
    TargetService service = chosen == null ? catalog.services().get(0) : activations.resolveService(chosen);
    model.put("services", catalog.services());
    model.put("service", service.code());
    model.put("offers", offers(principal.mode(), service));
    model.put("error", refusal == null ? null : refusal.getMessage());
    pages.render(ctx, "buy", model);
  }

  /** The country choices for one service, which the page swaps in (htmx) when another service is chosen. */
  private void countryOptions(Context ctx) {
    Mode mode = mode(ctx);
    Principal principal = sessions.customer(ctx, mode, Operation.READ);
    Map<String, Object> model = model(ctx, principal, "");
    model.put("offers", offers(mode, activations.resolveService(ctx.queryParam("service"))));
    pages.fragment(ctx, "buy", "offers", model);
  }

  /**
   * The countries with numbers for the service, ranked as a purchase that leaves the country open would try them
   * (cheapest first), each with its price and free numbers.
   */
  private List<Map<String, Object>> offers(Mode mode, TargetService service) {
    Map<String, Integer> available = stock.forService(mode, service.code());
    return Offers.rank(Offers.anyOf(service.code(), available.keySet(), Inventory.normaliseOperator(null),
            prices.table()), null).affordable().stream()
        .map(offer -> {
          Map<String, Object> row = new LinkedHashMap<>();
          row.put("iso", offer.country());
          row.put("label", catalog.byIso(offer.country()).map(Country::name).orElse(offer.country()) + " · "
              + offer.price().toDecimalString() + " " + currency + (mode == Mode.TEST ? ""
              : " · " + available.get(offer.country()) + " in stock"));
          return row;
        }).toList();
  }

  private void buy(Context ctx) {
    sessions.checkForm(ctx);
    Mode mode = mode(ctx);
    Principal principal = sessions.customer(ctx, mode, Operation.BUY);
    try {
      Activation bought = activations.purchase(principal,
          PurchaseRequest.of(ctx.formParam("service"), ctx.formParam("country")));
      ctx.redirect(activationPath(bought.id(), mode), HttpStatus.SEE_OTHER);
    } catch (Failure refusal) {
      ctx.status(refusal.code().httpStatus());
      buyPage(ctx, refusal);
    }
  }

  private void activation(Context ctx) {
    Mode mode = mode(ctx);
    Principal principal = sessions.customer(ctx, mode, Operation.POLL);
    Map<String, Object> model = model(ctx, principal, "Activation " + id(ctx));
    model.put("a", view(activations.get(principal, id(ctx))));
    pages.render(ctx, "activation", model);
  }

  /** The activation's panel alone, which the page swaps in whenever its event stream says something changed. */
  private void panel(Context ctx) {
    Mode mode = mode(ctx);
    Principal principal = sessions.customer(ctx, mode, Operation.POLL);
    Map<String, Object> model = model(ctx, principal, "");
    model.put("a", view(activations.get(principal, id(ctx))));
    pages.fragment(ctx, "activation", "panel", model);
  }

  private void change(Context ctx, boolean finish) {
    sessions.checkForm(ctx);
    Mode mode = mode(ctx);
    Principal principal = sessions.customer(ctx, mode, Operation.CHANGE);
    int id = id(ctx);
    if (finish) {
      activations.finish(principal, id);
    } else {
      activations.cancel(principal, id);
    }
    ctx.redirect(activationPath(id, mode), HttpStatus.SEE_OTHER);
  }

  private void history(Context ctx) {
    Mode mode = mode(ctx);
    Principal principal = sessions.customer(ctx, mode, Operation.READ);
    ActivationStatus status = status(ctx);
    Map<String, Object> model = model(ctx, principal, "Activations");
    model.put("statuses", Arrays.stream(ActivationStatus.values()).map(CustomerPages::statusName).toList());
    model.put("status", status == null ? "" : statusName(status));
    model.put("activations", activations.list(principal, new ActivationFilter(status, null, null, Integer.MAX_VALUE,
        HISTORY_PAGE)).stream().map(this::view).toList());
    pages.render(ctx, "history", model);
  }

  /** The activations the history shows (all of them, up to {@link #EXPORT_MAX}), as a CSV file. */
  private void export(Context ctx) {
    Mode mode = mode(ctx);
    Principal principal = sessions.customer(ctx, mode, Operation.READ);
    ActivationStatus status = status(ctx);
    StringBuilder csv = new StringBuilder("id,bought,service,country,phone,status,code,price,currency,sms\r\n");
    int before = Integer.MAX_VALUE;
    int exported = 0;
    while (exported < EXPORT_MAX) {
      List<Activation> page = activations.list(principal, new ActivationFilter(status, null, null, before, 200));
      for (Activation a : page) {
        csv.append(a.id()).append(',').append(a.createdAt()).append(',').append(a.service()).append(',')
            .append(a.country()).append(',').append(a.phone()).append(',').append(statusName(a.status())).append(',')
            .append(a.code() == null ? "" : a.code()).append(',').append(a.price().toDecimalString()).append(',')
            .append(currency).append(',').append(Csv.text(a.smsText())).append("\r\n");
      }
      exported += page.size();
      if (page.size() < 200) {
        break;
      }
      before = page.get(page.size() - 1).id();
    }
    ctx.header("Content-Disposition", "attachment; filename=\"activations-" + modeName(mode) + ".csv\"")
        .contentType("text/csv; charset=utf-8").result(csv.toString());
  }

  /** {@code ?status=}: one status, or none (empty) for every activation. */
  private static ActivationStatus status(Context ctx) {
    String value = ctx.queryParam("status");
    if (value == null || value.isBlank()) {
      return null;
    }
    return Arrays.stream(ActivationStatus.values()).filter(s -> statusName(s).equals(value)).findFirst()
        .orElseThrow(() -> new Failure(ErrorCode.BAD_REQUEST, "no such status: " + value));
  }

  private static String statusName(ActivationStatus status) {
    return status.name().toLowerCase(java.util.Locale.ROOT);
  }

  private Map<String, Object> view(Activation a) {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("id", a.id());
    row.put("service", catalog.service(a.service()).map(s -> s.name()).orElse(a.service()));
    row.put("country", catalog.byIso(a.country()).map(c -> c.name()).orElse(a.country()));
    row.put("phone", a.phone());
    row.put("price", a.price().toDecimalString());
    row.put("status", statusName(a.status()));
    row.put("live", a.status().isLive());
    row.put("code", a.code());
    row.put("smsText", a.smsText());
    row.put("created", Pages.when(a.createdAt()));
    row.put("expires", Pages.when(a.expiresAt()));
    row.put("path", activationPath(a.id(), a.mode()));
    return row;
  }

  // --- shared parts ---------------------------------------------------------------------------------------------

  private Map<String, Object> model(Context ctx, Principal principal, String title) {
    return view.model(ctx, principal, title);
  }

  private Actor actor(Context ctx, Principal principal) {
    return Actor.customer(principal, sessions.clientAddress(ctx));
  }

  private static String activationPath(int id, Mode mode) {
    return "/dashboard/activations/" + id + "?mode=" + modeName(mode);
  }

  private static Mode mode(Context ctx) {
    return CustomerView.mode(ctx);
  }

  private static String modeName(Mode mode) {
    return CustomerView.modeName(mode);
  }

  private static int id(Context ctx) {
    return Requests.activationId(ctx.pathParam("id"));
  }
}
