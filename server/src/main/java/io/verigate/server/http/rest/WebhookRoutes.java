package io.verigate.server.http.rest;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.verigate.server.account.Operation;
import io.verigate.server.account.Actor;
import io.verigate.server.account.Principal;
import io.verigate.server.http.support.Gate;
import io.verigate.server.http.support.WebhookJson;
import io.verigate.server.notify.WebhookOwner;
import io.verigate.server.notify.Webhooks;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * A customer's webhooks under {@code /api/v1/webhooks}, of the calling key's mode. Listing needs the {@code read}
 * scope; everything else the {@code keys} scope, since a webhook's secret is a credential and its URL receives codes.
 */
public final class WebhookRoutes {
  private final Gate gate;
  private final Webhooks webhooks;

  public WebhookRoutes(Gate gate, Webhooks webhooks) {
    this.gate = gate;
    this.webhooks = webhooks;
  }

  public void register(RoutesConfig routes) {
    routes.get("/api/v1/webhooks", ctx -> ctx.json(Map.of("items",
        webhooks.list(caller(ctx, Operation.READ)).stream().map(WebhookJson::view).toList())));
    routes.post("/api/v1/webhooks", ctx -> WebhookJson.answerWithSecret(ctx,
        changing(ctx, (actor, owner) -> webhooks.create(actor, owner, WebhookJson.newEndpoint(ctx))), 201));
    routes.get("/api/v1/webhooks/{id}", ctx -> ctx.json(WebhookJson.view(
        webhooks.get(caller(ctx, Operation.READ), WebhookJson.id(ctx, "id")))));
    routes.patch("/api/v1/webhooks/{id}", ctx -> ctx.json(WebhookJson.view(
        changing(ctx, (Actor actor, WebhookOwner owner) -> webhooks.update(actor, owner, WebhookJson.id(ctx, "id"),
            WebhookJson.change(ctx))))));
    routes.delete("/api/v1/webhooks/{id}", ctx -> {
      changing(ctx, (actor, owner) -> {
        webhooks.delete(actor, owner, WebhookJson.id(ctx, "id"));
        return null;
      });
      ctx.status(204);
    });
    routes.post("/api/v1/webhooks/{id}/rotate-secret", ctx -> WebhookJson.answerWithSecret(ctx,
        changing(ctx, (actor, owner) -> webhooks.rotateSecret(actor, owner, WebhookJson.id(ctx, "id"),
            WebhookJson.overlap(ctx))), 200));
    routes.post("/api/v1/webhooks/{id}/test", ctx -> ctx.status(202).json(WebhookJson.view(
        webhooks.test(caller(ctx, Operation.MANAGE_WEBHOOKS), WebhookJson.id(ctx, "id")))));
    routes.get("/api/v1/webhooks/{id}/deliveries",
        ctx -> WebhookJson.answerDeliveries(ctx, webhooks, caller(ctx, Operation.READ), WebhookJson.id(ctx, "id")));
    routes.post("/api/v1/webhooks/{id}/deliveries/{deliveryId}/replay", ctx -> ctx.status(202).json(WebhookJson.view(
        webhooks.replay(caller(ctx, Operation.MANAGE_WEBHOOKS), WebhookJson.id(ctx, "id"),
            WebhookJson.id(ctx, "deliveryId")))));
  }

  /** A change to the caller's endpoints, admitted once: by whom (for the audit log) and to whose endpoints. */
  private <T> T changing(Context ctx, BiFunction<Actor, WebhookOwner, T> change) {
    Principal principal = gate.customer(ctx, Operation.MANAGE_WEBHOOKS);
    return change.apply(Actor.customer(principal, gate.clientAddress(ctx)), WebhookOwner.of(principal));
  }

  private WebhookOwner caller(Context ctx, Operation operation) {
    return WebhookOwner.of(gate.customer(ctx, operation));
  }
}
