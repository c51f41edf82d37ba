package io.verigate.server.http.fivesim;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.verigate.client.VerigateClient;
import io.verigate.server.account.Mode;
import io.verigate.server.account.Operation;
import io.verigate.server.account.Principal;
import io.verigate.server.account.RateLimited;
import io.verigate.server.account.Verdict;
import io.verigate.server.activation.Activation;
import io.verigate.server.activation.ActivationService;
import io.verigate.server.activation.PurchaseRequest;
import io.verigate.server.catalog.Catalog;
import io.verigate.server.catalog.Prices;
import io.verigate.server.catalog.TargetService;
import io.verigate.server.http.support.Gate;
import io.verigate.server.http.support.EarlyRefusals;
import io.verigate.server.http.support.RateLimitHeaders;
import io.verigate.server.http.support.RenderedJson;
import io.verigate.server.http.support.Requests;
import io.verigate.server.inbound.Inbox;
import io.verigate.server.inbound.StoredSms;
import io.verigate.server.inventory.Inventory;
import io.verigate.server.inventory.Stock;
import io.verigate.server.supply.ResalePath;
import io.verigate.server.system.ErrorCode;
import io.verigate.server.system.Failure;
import io.verigate.server.wallet.Balance;
import io.verigate.server.wallet.Money;
import io.verigate.server.wallet.Wallets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The 5sim-style API under {@code /v1}: its paths, its Order JSON and its plain-text refusals, translated onto
 * the same core services as every other dialect. All actions are GET, as in 5sim. Keys come as
 * {@code Authorization: Bearer}; the guest endpoints need none, and show sandbox stock to a test key.
 */
public final class FiveSimRoutes {
  public static final String PREFIX = "/v1/";
  /** 5sim rates buyers and blocks low ratings; Verigate has no rating, so everyone has 5sim's maximum. */
  private static final int RATING = 96;
  private static final String TEXT = "text/plain; charset=utf-8";
  private static final int DEFAULT_ORDERS_LIMIT = 20;
  private static final int MAX_ORDERS_LIMIT = 100;

  private final Gate gate;
  private final ActivationService activations;
  private final Wallets wallets;
  private final Inbox inbox;
  private final FiveSimNames names;
  private final FiveSimGuest guest;
  /** Orders as polled: an order shows its activation and the activation's messages, as the inbox keeps them. */
  private final RenderedJson<List<StoredSms>> orderJson;

  public FiveSimRoutes(Gate gate, ActivationService activations, Wallets wallets, Catalog catalog, Prices prices,
      Inventory inventory, Inbox inbox) {
    this.gate = gate;
    this.activations = activations;
    this.wallets = wallets;
    this.inbox = inbox;
    this.names = new FiveSimNames(catalog);
    this.orderJson = new RenderedJson<>((activation, messages) -> FiveSimOrder.of(activation, messages, names));
    this.guest = new FiveSimGuest(catalog, prices, new Stock(inventory, catalog));
  }

  public void register(RoutesConfig routes) {
    routes.get("/v1/guest/countries", answered(ctx -> ctx.json(guest.countries())));
    routes.get("/v1/guest/products/{country}/{operator}", answered(ctx -> ctx.json(
        guest.products(callerMode(ctx), ctx.pathParam("country"), ctx.pathParam("operator")))));
    routes.get("/v1/guest/prices", answered(ctx -> ctx.json(
        guest.prices(callerMode(ctx), query(ctx, "country"), query(ctx, "product")))));
    routes.get("/v1/user/profile", answered(this::profile));
    routes.get("/v1/user/orders", answered(this::orders));
    routes.get("/v1/user/buy/activation/{country}/{operator}/{product}", answered(this::buy));
    routes.get("/v1/user/reuse/{product}/{number}", answered(this::reuse));
    routes.get("/v1/user/check/{id}", answered(ctx -> order(ctx, activations.get(gate.customer(ctx, Operation.POLL), orderId(ctx)))));
    routes.get("/v1/user/finish/{id}", answered(change(ActivationService::finish, FiveSimError.ORDER_NO_SMS)));
    routes.get("/v1/user/cancel/{id}", answered(change(ActivationService::cancel, FiveSimError.ORDER_HAS_SMS)));
    routes.get("/v1/user/ban/{id}", answered(change(ActivationService::reportBanned, FiveSimError.ORDER_HAS_SMS)));
    routes.get("/v1/user/sms/inbox/{id}", answered(this::smsInbox));
  }

  private void profile(Context ctx) {
    Principal principal = gate.customer(ctx, Operation.READ);
    Balance balance = wallets.balance(principal.customerId(), principal.mode());
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("id", principal.customerId());
    body.put("email", "");
    body.put("vendor", "");
    body.put("default_forwarding_number", "");
    body.put("balance", FiveSimOrder.number(balance.available()));
    body.put("rating", RATING);
    body.put("default_country", Map.of("name", FiveSimGuest.ANY, "iso", FiveSimGuest.ANY, "prefix", ""));
    body.put("default_operator", Map.of("name", FiveSimGuest.ANY));
    body.put("frozen_balance", FiveSimOrder.number(balance.held()));
    ctx.json(body);
  }

  /** Order history; {@code order} may name {@code id} or {@code created_at}, which sort alike. */
  private void orders(Context ctx) {
    Principal principal = gate.customer(ctx, Operation.READ);
    String category = query(ctx, "category");
    if (category != null && !category.equals("activation") && !category.equals("hosting")) {
      throw new Failure(ErrorCode.BAD_REQUEST, "category must be activation or hosting");
    }
    String order = query(ctx, "order");
    if (order != null && !order.equals("id") && !order.equals("created_at")) {
      throw new Failure(ErrorCode.BAD_REQUEST, "order must be id or created_at");
    }
    int limit = Requests.limit(query(ctx, "limit"), DEFAULT_ORDERS_LIMIT, MAX_ORDERS_LIMIT);
    int offset = offset(query(ctx, "offset"));
    // Verigate sells no hosting, so that category is always empty.
    ActivationService.Page page = "hosting".equals(category) ? new ActivationService.Page(List.of(), 0)
        : activations.page(principal, offset, limit, "true".equalsIgnoreCase(query(ctx, "reverse")));
    Map<Integer, List<StoredSms>> messages = inbox.messagesOf(page.items().stream().map(Activation::id).toList());
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("Data", page.items().stream()
        .map(a -> FiveSimOrder.of(a, messages.getOrDefault(a.id(), List.of()), names)).toList());
    body.put("ProductNames", List.of());
    body.put("Statuses", List.of());
    body.put("Total", page.total());
    ctx.json(body);
  }

  /**
   * Buys a number. {@code any} as the country takes the cheapest country with a free number; {@code maxPrice}
   * caps the price. 5sim's {@code reuse=1} asks for a number that may be bought again later: every Verigate
   * number may be, by its last buyer, so the flag needs no handling; {@code forwarding} and {@code voice} are
   * not offered and are ignored.
   */
  private void buy(Context ctx) {
    Principal principal = gate.customer(ctx, Operation.BUY);
    TargetService product = guest.product(ctx.pathParam("product"), FiveSimError.NO_PRODUCT);
    String operator = FiveSimGuest.operator(ctx.pathParam("operator"));
    String country = ctx.pathParam("country");
    List<String> countries = FiveSimGuest.ANY.equalsIgnoreCase(country)
        ? guest.anyCountry(principal.mode(), product, operator)
        : List.of(guest.country(country, FiveSimError.BAD_COUNTRY).iso());
    if (countries.isEmpty()) {
      throw FiveSimError.NO_FREE_PHONES.refused();
    }
    String maxPrice = query(ctx, "maxPrice");
    PurchaseRequest request = new PurchaseRequest(product.code(), countries, operator,
        maxPrice == null ? null : Money.parse(maxPrice), List.of(), null, null)
        .withResalePath(ResalePath.parse(ctx.header(VerigateClient.VIA_HEADER)));
    order(ctx, activations.purchase(principal, request));
  }

  private void reuse(Context ctx) {
    Principal principal = gate.customer(ctx, Operation.BUY);
    TargetService product = guest.product(ctx.pathParam("product"), FiveSimError.NO_PRODUCT);
    order(ctx, activations.reuse(principal, product.code(), ctx.pathParam("number")));
  }

  /**
   * A lifecycle action. The core refuses with INVALID_STATE whatever the order's state forbids; 5sim names the
   * reason, so the order is read again to tell an ended order from a live one with (or without) an SMS.
   */
  private Handler change(Transition transition, FiveSimError refusalWhileLive) {
    return ctx -> {
      Principal principal = gate.customer(ctx, Operation.CHANGE);
      int id = orderId(ctx);
      Activation after;
      try {
        after = transition.apply(activations, principal, id);
      } catch (Failure failure) {
        if (failure.code() != ErrorCode.INVALID_STATE) {
          throw failure;
        }
        boolean live = activations.get(principal, id).status().isLive();
        throw (live ? refusalWhileLive : FiveSimError.ORDER_EXPIRED).refused();
      }
      order(ctx, after);
    };
  }

  private void smsInbox(Context ctx) {
    Principal principal = gate.customer(ctx, Operation.POLL);
    List<StoredSms> messages;
    try {
      messages = inbox.messages(principal, Requests.activationId(ctx.pathParam("id")));
    } catch (Failure failure) {
      throw failure.code() == ErrorCode.ACTIVATION_NOT_FOUND ? FiveSimError.RECORD_NOT_FOUND.refused() : failure;
    }
    List<Map<String, Object>> data = messages.stream().map(sms -> {
      FiveSimOrder.Sms shown = FiveSimOrder.Sms.of(sms);
      Map<String, Object> item = new LinkedHashMap<>();
      item.put("ID", sms.id());
      item.put("created_at", shown.createdAt());
      item.put("date", shown.date());
      item.put("sender", shown.sender());
      item.put("text", shown.text());
      item.put("code", shown.code());
      item.put("is_wave", false);
      item.put("wave_uuid", "");
      return item;
    }).toList();
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("Data", data);
    body.put("Total", data.size());
    ctx.json(body);
  }

  private void order(Context ctx, Activation activation) {
    orderJson.send(ctx, activation, inbox.messagesOf(activation));
  }

  /** Guests see live stock; a valid test key sees the sandbox's. A bad key on a guest endpoint is ignored. */
  private Mode callerMode(Context ctx) {
    if (Requests.apiKey(ctx) == null) {
      return Mode.LIVE;
    }
    try {
      return gate.customer(ctx, Operation.READ).mode();
    } catch (Failure badKey) {
      return Mode.LIVE;
    }
  }

  /** An order id from the path; anything that cannot be an id is an order that does not exist. */
  private static int orderId(Context ctx) {
    return Requests.activationId(ctx.pathParam("id"));
  }

  private static int offset(String value) {
    int offset = value == null ? 0 : Requests.intParam("offset", value);
    if (offset < 0) {
      throw new Failure(ErrorCode.BAD_REQUEST, "offset must not be negative");
    }
    return offset;
  }

  /** A query parameter; empty counts as absent, as 5sim's clients send {@code ?country=&product=}. */
  private static String query(Context ctx, String name) {
    String value = ctx.queryParam(name);
    return value == null || value.isBlank() ? null : value.trim();
  }

  /** Runs a handler and answers its refusals as 5sim does: the status code and a plain-text body. */
  static Handler answered(Handler handler) {
    return ctx -> {
      try {
        handler.handle(ctx);
      } catch (FiveSimError.Refused refused) {
        refuse(ctx, refused.error().status(), refused.error().text());
      } catch (RateLimited limited) {
        rateLimited(ctx, limited);
      } catch (Failure failure) {
        RateLimitHeaders.forRefusal(ctx, failure);
        FiveSimError.translating(failure.code()).ifPresentOrElse(
            error -> refuse(ctx, error.status(), error.text()),
            () -> refuse(ctx, failure.code().httpStatus(), failure.getMessage()));
      }
    };
  }

  /**
   * A spent budget as 5sim answers it: 429 for a key's ("api limit is 100 requests per second") and 503 for a client
   * address's, on requests without a valid key ("ip address limit is ..."), with our quota in its words.
   */
  private static void rateLimited(Context ctx, RateLimited limited) {
    RateLimitHeaders.write(ctx, limited.verdict());
    Verdict spent = limited.verdict();
    String limit = spent.quota() + " requests per " + spent.windowSeconds() + " seconds";
    if (limited.perAddress()) {
      refuse(ctx, 503, "ip address limit is " + limit);
    } else {
      refuse(ctx, 429, "api limit is " + limit);
    }
  }

  private static void refuse(Context ctx, int status, String text) {
    ctx.status(status).contentType(TEXT).result(text);
  }

  /** A request the server refused before routing it, answered like any refusal 5sim has no word for. */
  public static EarlyRefusals.Answer refuseUnread(int status, String detail) {
    return new EarlyRefusals.Answer(status, TEXT, detail);
  }

  @FunctionalInterface
  private interface Transition {
    Activation apply(ActivationService service, Principal principal, int id);
  }
}
