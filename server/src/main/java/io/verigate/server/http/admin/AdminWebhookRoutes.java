package io.verigate.server.http.admin;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.verigate.server.account.Accounts;
import io.verigate.server.account.Actor;
import io.verigate.server.http.support.Gate;
import io.verigate.server.account.Mode;
import io.verigate.server.http.support.Json;
import io.verigate.server.http.support.KeyJson;
import io.verigate.server.http.support.Requests;
import io.verigate.server.http.support.WebhookJson;
import io.verigate.server.notify.WebhookOwner;
import io.verigate.server.notify.Webhooks;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The operator's side of webhooks: any customer's, of either mode, under {@code /admin/v1/customers/{id}/webhooks}.
 * The admin token is checked by {@link AdminRoutes}.
 */
public final class AdminWebhookRoutes {
  private static final String BASE = "/admin/v1/customers/{id}/webhooks";
  private static final String ONE = BASE + "/{webhookId}";

  private final Accounts accounts;
  private final Webhooks webhooks;

  private final Gate gate;

  public AdminWebhookRoutes(Gate gate, Accounts accounts, Webhooks webhooks) {
    this.gate = gate;
    this.accounts = accounts;
    this.webhooks = webhooks;
  }

  public void register(RoutesConfig routes) {
    routes.get(BASE, this::list);
    routes.post(BASE, ctx -> {
      String mode = Json.text(Json.body(ctx), "mode");
      WebhookOwner owner = new WebhookOwner(customer(ctx), mode == null ? Mode.LIVE : KeyJson.mode(mode));
      WebhookJson.answerWithSecret(ctx, webhooks.create(actor(ctx), owner, WebhookJson.newEndpoint(ctx)), 201);
    });
    routes.get(ONE, ctx -> ctx.json(WebhookJson.view(webhooks.get(owner(ctx), webhookId(ctx)))));
    routes.patch(ONE, ctx -> ctx.json(WebhookJson.view(
        webhooks.update(actor(ctx), owner(ctx), webhookId(ctx), WebhookJson.change(ctx)))));
    routes.delete(ONE, ctx -> {
      webhooks.delete(actor(ctx), owner(ctx), webhookId(ctx));
      ctx.status(204);
    });
    routes.post(ONE + "/rotate-secret", ctx -> WebhookJson.answerWithSecret(ctx,
        webhooks.rotateSecret(actor(ctx), owner(ctx), webhookId(ctx), WebhookJson.overlap(ctx)), 200));
    routes.post(ONE + "/test", ctx -> ctx.status(202).json(WebhookJson.view(webhooks.test(owner(ctx),
        webhookId(ctx)))));
    routes.get(ONE + "/deliveries", ctx -> WebhookJson.answerDeliveries(ctx, webhooks, owner(ctx), webhookId(ctx)));
    routes.post(ONE + "/deliveries/{deliveryId}/replay", ctx -> ctx.status(202).json(WebhookJson.view(
        webhooks.replay(owner(ctx), webhookId(ctx), WebhookJson.id(ctx, "deliveryId")))));
  }

  /** Both modes' endpoints, or one mode's with {@code ?mode=live|test}. */
  private void list(Context ctx) {
    long customer = customer(ctx);
    String mode = ctx.queryParam("mode");
    List<Mode> modes = mode == null ? List.of(Mode.LIVE, Mode.TEST) : List.of(KeyJson.mode(mode));
    List<Map<String, Object>> items = new ArrayList<>();
    for (Mode each : modes) {
      webhooks.list(new WebhookOwner(customer, each)).forEach(endpoint -> items.add(WebhookJson.view(endpoint)));
    }
    ctx.json(Map.of("items", items));
  }

  private Actor actor(Context ctx) {
    return Actor.admin(gate.clientAddress(ctx));
  }

  private long customer(Context ctx) {
    return accounts.existing(Requests.intParam("customer id", ctx.pathParam("id")));
  }

  private long webhookId(Context ctx) {
    return WebhookJson.id(ctx, "webhookId");
  }

  private WebhookOwner owner(Context ctx) {
    return webhooks.ownerOf(customer(ctx), webhookId(ctx));
  }
}
