package io.verigate.server.http.quickstart;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.verigate.server.account.Operation;
import io.verigate.server.account.Principal;
import io.verigate.server.activation.Activation;
import io.verigate.server.activation.ActivationService;
import io.verigate.server.activation.ActivationStatus;
import io.verigate.server.activation.PurchaseRequest;
import io.verigate.server.http.support.Gate;
import io.verigate.server.http.support.LongPoll;
import io.verigate.server.http.support.RateLimitHeaders;
import io.verigate.server.http.support.RenderedJson;
import io.verigate.server.http.support.Requests;
import io.verigate.server.system.Failure;
import io.verigate.server.wallet.Balance;
import io.verigate.server.wallet.Wallets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The short flow from the integration quick-start guides: {@code GET /number}, then poll {@code GET /status}
 * until {@code code} is truthy. Errors are {@code {"error": CODE, "message": ...}} and deliberately carry no
 * {@code code} field, because those clients treat any truthy {@code code} as the OTP.
 */
public final class QuickStartRoutes {
  private final Gate gate;
  private final ActivationService activations;
  private final Wallets wallets;
  private final String currency;
  private final RenderedJson<Void> statuses = RenderedJson.of(QuickStartRoutes::statusBody);

  public QuickStartRoutes(Gate gate, ActivationService activations, Wallets wallets, String currency) {
    this.gate = gate;
    this.activations = activations;
    this.wallets = wallets;
    this.currency = currency;
  }

  public void register(RoutesConfig routes) {
    routes.get("/number", guarded(this::number));
    routes.get("/status",
        guarded(ctx -> LongPoll.answer(ctx, activations, gate.customer(ctx, Operation.POLL), id(ctx), statuses::send)));
    routes.get("/cancel", guarded(action(ActivationService::cancel)));
    routes.get("/finish", guarded(action(ActivationService::finish)));
    routes.get("/resend", guarded(action(ActivationService::requestAnotherCode)));
    routes.get("/balance", guarded(this::balance));
  }

  private void number(Context ctx) {
    Principal principal = gate.customer(ctx, Operation.BUY);
    PurchaseRequest request = new PurchaseRequest(ctx.queryParam("service"),
        ctx.queryParam("country") == null ? java.util.List.of() : java.util.List.of(ctx.queryParam("country")),
        ctx.queryParam("operator"), null, java.util.List.of(), null, null);
    Activation activation = activations.purchase(principal, request);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("activation_id", activation.id());
    body.put("number", activation.phone());
    body.put("status", activation.status().name());
    body.put("price", activation.price().toDecimalString());
    body.put("expires_at", activation.expiresAt());
    ctx.json(body);
  }

  private void balance(Context ctx) {
    Principal principal = gate.customer(ctx, Operation.READ);
    Balance balance = wallets.balance(principal.customerId(), principal.mode());
    ctx.json(Map.of("balance", balance.available().toDecimalString(), "currency", currency));
  }

  private Handler action(TriFunction change) {
    return ctx -> statuses.send(ctx, change.apply(activations, gate.customer(ctx, Operation.CHANGE), id(ctx)));
  }

  private static Map<String, Object> statusBody(Activation activation) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("status", activation.status().name());
    // After a resend the previous code must not look like the new one to a polling client.
    body.put("code", activation.status() == ActivationStatus.WAITING ? null : activation.code());
    body.put("sms", activation.smsText());
    return body;
  }

  private static int id(Context ctx) {
    return Requests.activationId(ctx.queryParam("id"));
  }

  private static Handler guarded(Handler handler) {
    return ctx -> {
      try {
        handler.handle(ctx);
      } catch (Failure failure) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", failure.code().name());
        body.put("message", failure.getMessage());
        RateLimitHeaders.forRefusal(ctx, failure);
        ctx.status(failure.code().httpStatus()).json(body);
      }
    };
  }

  @FunctionalInterface
  private interface TriFunction {
    Activation apply(ActivationService service, Principal principal, int id);
  }
}
