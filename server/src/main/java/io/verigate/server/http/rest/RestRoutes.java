package io.verigate.server.http.rest;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.verigate.client.VerigateClient;
import io.verigate.server.account.ApiKeyFormat;
import io.verigate.server.account.Actor;
import io.verigate.server.account.Mode;
import io.verigate.server.account.Operation;
import io.verigate.server.account.Principal;
import io.verigate.server.activation.Activation;
import io.verigate.server.activation.ActivationFilter;
import io.verigate.server.activation.ActivationService;
import io.verigate.server.activation.ActivationStatus;
import io.verigate.server.activation.PurchaseRequest;
import io.verigate.server.catalog.Catalog;
import io.verigate.server.catalog.Country;
import io.verigate.server.catalog.Prices;
import io.verigate.server.catalog.TargetService;
import io.verigate.server.http.support.Gate;
import io.verigate.server.http.support.Json;
import io.verigate.server.http.support.LongPoll;
import io.verigate.server.http.support.RenderedJson;
import io.verigate.server.http.support.Requests;
import io.verigate.server.inbound.Receipt;
import io.verigate.server.inventory.Inventory;
import io.verigate.server.inventory.Stock;
import io.verigate.server.notify.WebhookOwner;
import io.verigate.server.notify.Webhooks;
import io.verigate.server.sandbox.Sandbox;
import io.verigate.server.supply.ResalePath;
import io.verigate.server.system.ErrorCode;
import io.verigate.server.system.Failure;
import io.verigate.server.wallet.Balance;
import io.verigate.server.wallet.LedgerEntry;
import io.verigate.server.wallet.Money;
import io.verigate.server.wallet.Wallets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The customer REST API under {@code /api/v1}: a translation of HTTP into the core services, no rules of its own. */
public final class RestRoutes {
  private final Gate gate;
  private final ActivationService activations;
  private final Wallets wallets;
  private final Catalog catalog;
  private final Prices prices;
  private final Stock stock;
  private final Sandbox sandbox;
  private final String currency;
  private final Webhooks webhooks;
  private final RenderedJson<Void> views;

  public RestRoutes(Gate gate, ActivationService activations, Wallets wallets, Catalog catalog, Prices prices,
      Stock stock, Sandbox sandbox, String currency, Webhooks webhooks) {
    this.webhooks = webhooks;
    this.gate = gate;
    this.activations = activations;
    this.wallets = wallets;
    this.catalog = catalog;
    this.prices = prices;
    this.stock = stock;
    this.sandbox = sandbox;
    this.currency = currency;
    this.views = RenderedJson.of(activation -> ActivationView.of(activation, currency));
  }

  public void register(RoutesConfig routes) {
    routes.get("/api/v1/wallet/balance", this::balance);
    routes.get("/api/v1/wallet/transactions", this::transactions);
    routes.put("/api/v1/wallet/low-balance-threshold", this::setLowBalanceThreshold);
    routes.post("/api/v1/activations", this::purchase);
    routes.get("/api/v1/activations", this::list);
    routes.get("/api/v1/activations/{id}",
        ctx -> LongPoll.answer(ctx, activations, gate.customer(ctx, Operation.POLL), id(ctx), this::view));
    routes.post("/api/v1/activations/{id}/cancel", ctx -> view(ctx, activations.cancel(gate.customer(ctx, Operation.CHANGE), id(ctx))));
    routes.post("/api/v1/activations/{id}/finish", ctx -> view(ctx, activations.finish(gate.customer(ctx, Operation.CHANGE), id(ctx))));
    routes.post("/api/v1/activations/{id}/resend",
        ctx -> view(ctx, activations.requestAnotherCode(gate.customer(ctx, Operation.CHANGE), id(ctx))));
    routes.post("/api/v1/activations/{id}/ban", ctx -> view(ctx, activations.reportBanned(gate.customer(ctx, Operation.CHANGE), id(ctx))));
    routes.get("/api/v1/services", ctx -> ctx.json(catalog.services()));
    routes.get("/api/v1/countries", ctx -> ctx.json(catalog.countries()));
    routes.get("/api/v1/prices", this::prices);
    routes.post("/api/v1/sandbox/activations/{id}/sms", this::sandboxSms);
  }

  private void balance(Context ctx) {
    balance(ctx, gate.customer(ctx, Operation.READ));
  }

  private void balance(Context ctx, Principal principal) {
    Balance balance = wallets.balance(principal.customerId(), principal.mode());
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("balance", balance.available().toDecimalString());
    body.put("held", balance.held().toDecimalString());
    body.put("currency", currency);
    body.put("lowBalanceThreshold", wallets.lowBalanceThreshold(principal.customerId(), principal.mode())
        .map(Money::toDecimalString).orElse(null));
    ctx.json(body);
  }

  /** {@code {"threshold":"5.00"}} sets it, {@code {"threshold":null}} turns it off; answers the wallet. */
  private void setLowBalanceThreshold(Context ctx) {
    Principal principal = gate.customer(ctx, Operation.MANAGE_WEBHOOKS);
    String threshold = Json.presentText(Json.body(ctx), "threshold", Wallets.THRESHOLD_HINT);
    wallets.setLowBalanceThreshold(Actor.customer(principal, gate.clientAddress(ctx)), principal.customerId(),
        principal.mode(), threshold == null ? null : Money.parse(threshold));
    balance(ctx, principal);
  }

  private void transactions(Context ctx) {
    Principal principal = gate.customer(ctx, Operation.READ);
    int limit = Requests.limit(ctx.queryParam("limit"), 50, 200);
    String before = ctx.queryParam("before");
    long beforeId = before == null ? Long.MAX_VALUE : Requests.intParam("before", before);
    List<Map<String, Object>> items = new ArrayList<>();
    for (LedgerEntry e : wallets.history(principal.customerId(), principal.mode(), beforeId, limit)) {
      Map<String, Object> item = new LinkedHashMap<>();
      item.put("id", e.id());
      item.put("type", e.kind().name());
      item.put("amount", e.amount().toDecimalString());
      item.put("memo", e.memo());
      item.put("createdAt", e.createdAt());
      items.add(item);
    }
    ctx.json(Map.of("items", items));
  }

  private void purchase(Context ctx) {
    Principal principal = gate.customer(ctx, Operation.BUY);
    JsonNode body = Json.body(ctx);
    String service = firstText(body, "serviceCode", "service");
    List<String> countries = new ArrayList<>();
    JsonNode ranked = body.get("countries");
    if (ranked != null && !ranked.isNull()) {
      if (!ranked.isArray() || ranked.isEmpty()) {
        throw new Failure(ErrorCode.BAD_REQUEST, "countries must be a non-empty array of country codes");
      }
      ranked.forEach(c -> countries.add(c.asText()));
    } else {
      String country = firstText(body, "countryIso", "country");
      if (country != null) {
        countries.add(country);
      }
    }
    String maxPrice = Json.text(body, "maxPrice");
    List<String> excluded = new ArrayList<>();
    JsonNode exclude = body.get("excludePrefixes");
    if (exclude != null && exclude.isArray()) {
      exclude.forEach(p -> excluded.addAll(ActivationService.prefixes(p.asText())));
    }
    String key = ctx.header("Idempotency-Key");
    if (key != null && (key.isBlank() || key.length() > 255)) {
      throw new Failure(ErrorCode.BAD_REQUEST, "Idempotency-Key must be 1-255 characters");
    }
    String callbackUrl = Json.text(body, "callbackUrl");
    PurchaseRequest request = new PurchaseRequest(service, countries, Json.text(body, "operator"),
        maxPrice == null ? null : Money.parse(maxPrice), excluded, key, key == null ? null : Json.fingerprint(body))
        .withCallbackUrl(callbackUrl == null ? null
            : webhooks.checkedCallbackUrl(WebhookOwner.of(principal), callbackUrl))
        .withResalePath(ResalePath.parse(ctx.header(VerigateClient.VIA_HEADER)));
    Activation activation = activations.purchase(principal, request);
    ctx.status(201).header("Location", "/api/v1/activations/" + activation.id());
    view(ctx, activation);
  }

  private void list(Context ctx) {
    Principal principal = gate.customer(ctx, Operation.READ);
    String status = ctx.queryParam("status");
    ActivationStatus statusFilter = null;
    if (status != null) {
      try {
        statusFilter = ActivationStatus.valueOf(status.trim().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new Failure(ErrorCode.BAD_REQUEST, "status must be one of " + List.of(ActivationStatus.values()));
      }
    }
    String service = ctx.queryParam("service") == null ? null : activations.resolveService(ctx.queryParam("service")).code();
    String country = ctx.queryParam("country") == null ? null : activations.resolveCountry(ctx.queryParam("country")).iso();
    String before = ctx.queryParam("before");
    int beforeId = before == null ? Integer.MAX_VALUE : Requests.intParam("before", before);
    int limit = Requests.limit(ctx.queryParam("limit"), 20, 100);
    // One row past the page tells whether another page exists, so the last page says so.
    List<ActivationView> rows = activations.list(principal,
            new ActivationFilter(statusFilter, service, country, beforeId, limit + 1))
        .stream().map(a -> ActivationView.of(a, currency)).toList();
    List<ActivationView> items = rows.subList(0, Math.min(limit, rows.size()));
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("items", items);
    body.put("nextBefore", rows.size() > limit ? items.get(items.size() - 1).id() : null);
    ctx.json(body);
  }

  /** Price and live availability of one service, for one country or every country that has numbers. */
  private void prices(Context ctx) {
    Principal principal = gate.customer(ctx, Operation.READ);
    TargetService service = activations.resolveService(ctx.queryParam("service"));
    String countryParam = ctx.queryParam("country");
    String operator = Inventory.normaliseOperator(ctx.queryParam("operator"));
    Map<String, Integer> available = stock.forService(principal.mode(), service.code());
    List<Country> countries = countryParam != null
        ? List.of(activations.resolveCountry(countryParam))
        : catalog.countries().stream().filter(c -> available.containsKey(c.iso())).toList();
    List<Map<String, Object>> items = new ArrayList<>();
    for (Country country : countries) {
      Map<String, Object> item = new LinkedHashMap<>();
      item.put("serviceCode", service.code());
      item.put("countryIso", country.iso());
      item.put("operator", operator);
      item.put("price", prices.priceFor(service.code(), country.iso(), operator).toDecimalString());
      item.put("currency", currency);
      item.put("available", available.getOrDefault(country.iso(), 0));
      items.add(item);
    }
    ctx.json(items);
  }

  private void sandboxSms(Context ctx) {
    Principal principal = gate.customer(ctx, Operation.CHANGE);
    JsonNode body = Json.body(ctx);
    Receipt receipt = sandbox.deliver(principal, id(ctx), Json.text(body, "from"), Json.text(body, "text"));
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("messageId", receipt.messageId());
    out.put("activationId", receipt.activationId());
    out.put("codeFound", receipt.codeFound());
    ctx.status(202).json(out);
  }

  private void view(Context ctx, Activation activation) {
    views.send(ctx, activation);
  }

  private static int id(Context ctx) {
    return Requests.activationId(ctx.pathParam("id"));
  }

  private static String firstText(JsonNode body, String... fields) {
    for (String field : fields) {
      String value = Json.text(body, field);
      if (value != null) {
        return value;
      }
    }
    return null;
  }
}
