package io.verigate.server.http.admin;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.verigate.server.account.Accounts;
import io.verigate.server.account.Actor;
import io.verigate.server.account.Audit;
import io.verigate.server.account.AuditAction;
import io.verigate.server.account.Mode;
import io.verigate.server.catalog.Catalog;
import io.verigate.server.catalog.Prices;
import io.verigate.server.http.support.Gate;
import io.verigate.server.http.support.Json;
import io.verigate.server.http.support.KeyJson;
import io.verigate.server.http.support.Requests;
import io.verigate.server.inbound.smshub.SmsHub;
import io.verigate.server.inbound.smshub.SmsHubAgents;
import io.verigate.server.inventory.Inventory;
import io.verigate.server.inventory.NumberSource;
import io.verigate.server.inventory.NumberSources;
import io.verigate.server.system.ErrorCode;
import io.verigate.server.system.Failure;
import io.verigate.server.wallet.Balance;
import io.verigate.server.wallet.Money;
import io.verigate.server.wallet.Wallets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

/** The operator API under {@code /admin/v1}, authenticated by the admin token as Bearer. */
public final class AdminRoutes {
  private final Gate gate;
  private final Accounts accounts;
  private final Wallets wallets;
  private final Inventory inventory;
  private final NumberSources sources;
  private final Prices prices;
  private final Catalog catalog;
  private final String currency;
  private final SmsHub smsHub;
  private final Audit audit;

  /** Every change made here is recorded in {@code audit} by the service that makes it, with the admin as its actor. */
  public AdminRoutes(Gate gate, Accounts accounts, Wallets wallets, Inventory inventory, NumberSources sources,
      Prices prices, Catalog catalog, String currency, SmsHub smsHub, Audit audit) {
    this.gate = gate;
    this.accounts = accounts;
    this.wallets = wallets;
    this.inventory = inventory;
    this.sources = sources;
    this.prices = prices;
    this.catalog = catalog;
    this.currency = currency;
    this.smsHub = smsHub;
    this.audit = audit;
  }

  public void register(RoutesConfig routes) {
    routes.before("/admin/*", gate::admin);
    routes.get("/admin/v1/customers", ctx -> ctx.json(accounts.customers()));
    routes.post("/admin/v1/customers", ctx -> ctx.status(201)
        .json(accounts.createCustomer(actor(ctx), Json.text(Json.body(ctx), "name"))));
    routes.get("/admin/v1/customers/{id}/wallet",
        ctx -> balance(ctx, existingCustomer(ctx), mode(ctx.queryParam("mode")), null));
    routes.post("/admin/v1/customers/{id}/wallet/credit", this::credit);
    routes.put("/admin/v1/customers/{id}/wallet/low-balance-threshold", this::setLowBalanceThreshold);
    routes.post("/admin/v1/sources", this::createSource);
    routes.get("/admin/v1/sources", ctx -> ctx.json(sources.all()));
    routes.get("/admin/v1/sources/{name}", ctx -> ctx.json(sourceView(sources.view(ctx.pathParam("name"))
        .orElseThrow(() -> new Failure(ErrorCode.NOT_FOUND, "no number source named " + ctx.pathParam("name"))))));
    routes.patch("/admin/v1/sources/{name}", this::configureSource);
    routes.post("/admin/v1/numbers", this::importJson);
    routes.post("/admin/v1/numbers/import", this::importCsv);
    routes.get("/admin/v1/prices", ctx -> ctx.json(prices.rules().stream().map(this::priceView).toList()));
    routes.put("/admin/v1/prices", this::setPrice);
    routes.get("/admin/v1/audit", this::auditLog);
  }

  /** The operator, from the address the request came from: who the audit log says made a change. */
  private Actor actor(Context ctx) {
    return Actor.admin(gate.clientAddress(ctx));
  }

  /** The audit log, newest first, a page at a time ({@code before} an entry's id), optionally of one action. */
  private void auditLog(Context ctx) {
    int limit = Requests.limit(ctx.queryParam("limit"), 50, 200);
    String before = ctx.queryParam("before");
    long beforeId = before == null ? Long.MAX_VALUE : Requests.intParam("before", before);
    String actionCode = ctx.queryParam("action");
    AuditAction action = actionCode == null ? null : AuditAction.ofCode(actionCode.trim())
        .orElseThrow(() -> new Failure(ErrorCode.BAD_REQUEST, "action must be one of " + AuditAction.codes()));
    Audit.Page page = audit.page(beforeId, limit, action);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("items", page.items());
    body.put("nextBefore", page.nextBefore());
    ctx.json(body);
  }

  private void credit(Context ctx) {
    JsonNode body = Json.body(ctx);
    String amount = Json.text(body, "amount");
    if (amount == null) {
      throw new Failure(ErrorCode.BAD_REQUEST, "amount is required, e.g. \"25.00\"");
    }
    long customer = existingCustomer(ctx);
    Mode mode = mode(Json.text(body, "mode"));
    balance(ctx, customer, mode, wallets.credit(actor(ctx), customer, mode, Money.parse(amount),
        Json.text(body, "memo")));
  }

  /** {@code {"threshold":"5.00"}} sets the live wallet's, {@code {"threshold":null}} turns it off. */
  private void setLowBalanceThreshold(Context ctx) {
    JsonNode body = Json.body(ctx);
    String threshold = Json.presentText(body, "threshold", Wallets.THRESHOLD_HINT);
    long customer = existingCustomer(ctx);
    Mode mode = mode(Json.text(body, "mode"));
    wallets.setLowBalanceThreshold(actor(ctx), customer, mode, threshold == null ? null : Money.parse(threshold));
    balance(ctx, customer, mode, null);
  }

  /** The wallet as the operator sees it; {@code known} is its balance when the caller just read it (null: read it). */
  private void balance(Context ctx, long customer, Mode mode, Balance known) {
    Balance balance = known != null ? known : wallets.balance(customer, mode);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("balance", balance.available().toDecimalString());
    out.put("held", balance.held().toDecimalString());
    out.put("currency", currency);
    out.put("lowBalanceThreshold", wallets.lowBalanceThreshold(customer, mode).map(Money::toDecimalString).orElse(null));
    ctx.json(out);
  }

  private void createSource(Context ctx) {
    JsonNode body = Json.body(ctx);
    String type = Json.text(body, "type");
    if (type != null && type.trim().equalsIgnoreCase(NumberSource.SMSHUB)) {
      registerAgent(ctx, body);
      return;
    }
    if (type != null && type.trim().equalsIgnoreCase(NumberSource.UPSTREAM)) {
      throw new Failure(ErrorCode.BAD_REQUEST, "register an upstream with POST /admin/v1/upstreams: it needs a protocol, "
          + "baseUrl, apiKey and price rule");
    }
    NumberSources.CreatedSource created = sources.create(actor(ctx), Json.text(body, "name"), Json.text(body, "type"),
        sourceSettings(body), smppSettings(body));
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("id", created.source().id());
    out.put("name", created.source().name());
    out.put("type", created.source().type());
    out.put("token", created.token());
    if (created.signingKey() != null) {
      out.put("signingKey", created.signingKey());
    }
    ctx.status(201).json(out);
  }

  /**
   * An SMSHub agent: {@code agentUrl} is where it answers the protocol, {@code agentKey} the protocol key both sides
   * send (generated when absent). The key is shown this once; the agent needs no push token.
   */
  private void registerAgent(Context ctx, JsonNode body) {
    SmsHubAgents.Registered agent = smsHub.agents().register(actor(ctx), Json.text(body, "name"),
        Json.text(body, "agentUrl"), Json.text(body, "agentKey"));
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("id", agent.source().id());
    out.put("name", agent.source().name());
    out.put("type", agent.source().type());
    out.put("agentUrl", agent.url().toString());
    out.put("agentKey", agent.key());
    ctx.status(201).json(out);
  }

  /**
   * Changes any of a source's settings. An SMSHub agent's {@code agentUrl} and {@code agentKey} are the hub's to
   * store, so they are checked first, then the source's own settings are checked and stored, and only then the
   * agent's: a request refused for any field changes nothing.
   */
  private void configureSource(Context ctx) {
    JsonNode body = Json.body(ctx);
    String name = ctx.pathParam("name");
    Optional<SmsHubAgents.Change> agentChange = smsHub.agents().checkedChange(name, Json.text(body, "agentUrl"),
        Json.text(body, "agentKey"));
    NumberSources.SourceView view = sources.configure(actor(ctx), name, sourceSettings(body), smppSettings(body));
    agentChange.ifPresent(change -> smsHub.reconfigure(actor(ctx), change));
    ctx.json(sourceView(view));
  }

  /**
   * The webhook settings of a source request: its secret as {@code signingKey} (android), {@code authToken} (twilio)
   * or {@code signatureSecret} (vonage), {@code webhookUrl} (twilio), {@code sims} (android,
   * {@code {"1": "+14155550101"}}), {@code signatureMethod} and {@code allowUnsigned} (vonage); absent ones stay as
   * they are.
   */
  private static NumberSources.SourceSettings sourceSettings(JsonNode body) {
    List<String> secrets = Stream.of("signingKey", "authToken", "signatureSecret")
        .map(field -> Json.text(body, field)).filter(Objects::nonNull).toList();
    if (secrets.size() > 1) {
      throw new Failure(ErrorCode.BAD_REQUEST,
          "give one of signingKey (android), authToken (twilio) or signatureSecret (vonage), not several");
    }
    return new NumberSources.SourceSettings(secrets.isEmpty() ? null : secrets.get(0), Json.text(body, "webhookUrl"),
        simSlots(body.get("sims")), Json.text(body, "signatureMethod"), optionalBoolean(body, "allowUnsigned"));
  }

  /**
   * The link settings of an smpp source request ({@code host}, {@code port}, {@code systemId}, {@code password},
   * {@code systemType}, {@code bindType}, {@code enquireLinkSeconds}, {@code reassemblySeconds}); null when it gives none.
   */
  private static NumberSources.SmppSettings smppSettings(JsonNode body) {
    NumberSources.SmppSettings smpp = new NumberSources.SmppSettings(Json.text(body, "host"), optionalInt(body, "port"),
        Json.text(body, "systemId"), Json.text(body, "password"), Json.text(body, "systemType"),
        Json.text(body, "bindType"), optionalInt(body, "enquireLinkSeconds"), optionalInt(body, "reassemblySeconds"));
    return smpp.equals(new NumberSources.SmppSettings(null, null, null, null, null, null, null, null)) ? null : smpp;
  }

  private static Boolean optionalBoolean(JsonNode body, String field) {
    JsonNode value = body.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isBoolean()) {
      throw new Failure(ErrorCode.BAD_REQUEST, field + " must be true or false");
    }
    return value.booleanValue();
  }

  private static Integer optionalInt(JsonNode body, String field) {
    String value = Json.text(body, field);
    return value == null ? null : Requests.intParam(field, value);
  }

  private static Map<Integer, String> simSlots(JsonNode sims) {
    if (sims == null || sims.isNull()) {
      return null;
    }
    if (!sims.isObject()) {
      throw new Failure(ErrorCode.BAD_REQUEST, "sims must map SIM slots to numbers, e.g. {\"1\": \"+14155550101\"}");
    }
    Map<Integer, String> slots = new LinkedHashMap<>();
    sims.properties().forEach(slot -> slots.put(Requests.intParam("SIM slot", slot.getKey()), slot.getValue().asText()));
    return slots;
  }

  /** A source with its settings and health; secrets are never shown again after creation. */
  private Map<String, Object> sourceView(NumberSources.SourceView view) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("id", view.source().id());
    out.put("name", view.source().name());
    out.put("type", view.source().type());
    out.put("signingSecretSet", view.signingSecretSet());
    out.put("webhookUrl", view.webhookUrl());
    out.put("sims", view.sims());
    out.put("signatureMethod", view.signatureMethod());
    if (NumberSource.VONAGE.equals(view.source().type())) {
      out.put("allowUnsigned", view.allowUnsigned());
    }
    if (NumberSource.SMPP.equals(view.source().type())) {
      sources.smppLinkView(view.source().id()).ifPresent(link -> out.put("smpp", link));
    }
    if (NumberSource.SMSHUB.equals(view.source().type())) {
      smsHub.agentView(view.source().id()).ifPresent(agent -> out.put("agent", agent));
    }
    out.put("health", view.health());
    return out;
  }

  private void importJson(Context ctx) {
    JsonNode body = Json.body(ctx);
    JsonNode numbers = body.get("numbers");
    if (numbers == null || !numbers.isArray()) {
      throw new Failure(ErrorCode.BAD_REQUEST, "numbers must be an array of phone numbers");
    }
    List<String> raw = new ArrayList<>();
    numbers.forEach(n -> raw.add(n.asText()));
    ctx.json(inventory.importNumbers(actor(ctx), required(Json.text(body, "source"), "source"), Json.text(body, "operator"),
        raw));
  }

  /** CSV body, as {@link Inventory#importCsv} reads it. */
  private void importCsv(Context ctx) {
    ctx.json(inventory.importCsv(actor(ctx), required(ctx.queryParam("source"), "source"), ctx.queryParam("operator"),
        ctx.body()));
  }

  private void setPrice(Context ctx) {
    JsonNode body = Json.body(ctx);
    String service = required(Json.text(body, "service"), "service");
    String country = required(Json.text(body, "country"), "country");
    String price = required(Json.text(body, "price"), "price");
    ctx.json(priceView(prices.set(actor(ctx), catalog.priceRuleService(service), catalog.priceRuleCountry(country),
        Inventory.normaliseOperator(Json.text(body, "operator")), Money.parse(price))));
  }

  private Map<String, Object> priceView(Prices.PriceRule rule) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("service", rule.service());
    out.put("country", rule.country());
    out.put("operator", rule.operator());
    out.put("price", rule.amount().toDecimalString());
    out.put("currency", currency);
    return out;
  }

  private long existingCustomer(Context ctx) {
    return accounts.existing(customerId(ctx));
  }

  private static long customerId(Context ctx) {
    return Requests.intParam("customer id", ctx.pathParam("id"));
  }

  private static Mode mode(String value) {
    return value == null || value.isBlank() ? Mode.LIVE : KeyJson.mode(value);
  }

  private static String required(String value, String name) {
    if (value == null || value.isBlank()) {
      throw new Failure(ErrorCode.BAD_REQUEST, name + " is required");
    }
    return value.trim();
  }
}
