package io.verigate.server.http.admin;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.verigate.server.account.Accounts;
import io.verigate.server.account.Actor;
import io.verigate.server.account.ApiKeys;
import io.verigate.server.account.Mode;
import io.verigate.server.http.support.Gate;
import io.verigate.server.http.support.KeyJson;
import io.verigate.server.http.support.Requests;
import java.time.Clock;

/** The operator's side of API keys: any customer's, any mode and scope. The admin token is checked by {@link AdminRoutes}. */
public final class AdminKeyRoutes {
  private final Gate gate;
  private final Accounts accounts;
  private final ApiKeys keys;
  private final Clock clock;

  public AdminKeyRoutes(Gate gate, Accounts accounts, ApiKeys keys, Clock clock) {
    this.gate = gate;
    this.accounts = accounts;
    this.keys = keys;
    this.clock = clock;
  }

  public void register(RoutesConfig routes) {
    routes.post("/admin/v1/customers/{id}/keys",
        ctx -> KeyJson.answerIssued(ctx, keys.issue(admin(ctx), customer(ctx), KeyJson.newKey(ctx, Mode.LIVE)), clock.instant()));
    routes.get("/admin/v1/customers/{id}/keys",
        ctx -> ctx.json(keys.list(customer(ctx)).stream().map(k -> KeyJson.view(k, clock.instant())).toList()));
    routes.post("/admin/v1/keys/{keyId}/rotate", ctx -> {
      String keyId = ctx.pathParam("keyId");
      KeyJson.answerIssued(ctx, keys.rotate(admin(ctx), keys.owner(keyId), keyId, KeyJson.overlap(ctx)), clock.instant());
    });
    routes.delete("/admin/v1/keys/{keyId}", ctx -> {
      String keyId = ctx.pathParam("keyId");
      keys.revoke(admin(ctx), keys.owner(keyId), keyId);
      ctx.status(204);
    });
  }

  private Actor admin(Context ctx) {
    return Actor.admin(gate.clientAddress(ctx));
  }

  private long customer(Context ctx) {
    return accounts.existing(Requests.intParam("customer id", ctx.pathParam("id")));
  }
}
