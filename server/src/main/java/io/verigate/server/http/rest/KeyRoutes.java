package io.verigate.server.http.rest;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.verigate.server.account.ApiKeys;
import io.verigate.server.account.Operation;
import io.verigate.server.account.Principal;
import io.verigate.server.http.support.Gate;
import io.verigate.server.http.support.KeyJson;
import java.time.Clock;
import java.util.Map;

/**
 * A customer's own keys under {@code /api/v1/keys}, managed with a key that has the {@code keys} scope: list, issue,
 * rotate, revoke. A key never issues a stronger key than itself, nor one of the other mode.
 */
public final class KeyRoutes {
  private final Gate gate;
  private final ApiKeys keys;
  private final Clock clock;

  public KeyRoutes(Gate gate, ApiKeys keys, Clock clock) {
    this.gate = gate;
    this.keys = keys;
    this.clock = clock;
  }

  public void register(RoutesConfig routes) {
    routes.get("/api/v1/keys", this::list);
    routes.post("/api/v1/keys", this::issue);
    routes.post("/api/v1/keys/{keyId}/rotate", this::rotate);
    routes.post("/api/v1/keys/{keyId}/revoke", this::revoke);
    routes.delete("/api/v1/keys/{keyId}", this::revoke);
  }

  private void list(Context ctx) {
    Principal caller = gate.customer(ctx, Operation.MANAGE_KEYS);
    ctx.json(Map.of("items", keys.list(caller).stream().map(k -> KeyJson.view(k, clock.instant())).toList()));
  }

  private void issue(Context ctx) {
    Principal caller = gate.customer(ctx, Operation.MANAGE_KEYS);
    KeyJson.answerIssued(ctx, keys.issue(caller, gate.clientAddress(ctx), KeyJson.newKey(ctx, caller.mode())), clock.instant());
  }

  private void rotate(Context ctx) {
    Principal caller = gate.customer(ctx, Operation.MANAGE_KEYS);
    KeyJson.answerIssued(ctx, keys.rotate(caller, gate.clientAddress(ctx), ctx.pathParam("keyId"), KeyJson.overlap(ctx)),
        clock.instant());
  }

  private void revoke(Context ctx) {
    Principal caller = gate.customer(ctx, Operation.MANAGE_KEYS);
    ctx.json(KeyJson.view(keys.revoke(caller, gate.clientAddress(ctx), ctx.pathParam("keyId")), clock.instant()));
  }
}
