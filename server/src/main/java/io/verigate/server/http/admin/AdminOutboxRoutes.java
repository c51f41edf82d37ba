package io.verigate.server.http.admin;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.verigate.server.account.Actor;
import io.verigate.server.account.Audit;
import io.verigate.server.account.AuditAction;
import io.verigate.server.account.AuditEntry;
import io.verigate.server.http.support.Gate;
import io.verigate.server.http.support.Requests;
import io.verigate.server.system.ErrorCode;
import io.verigate.server.system.Failure;
import io.verigate.server.system.Outbox;
import io.verigate.server.system.Timestamps;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The operator's view of the outbox: what waits, what is dead and why, and a retry. The admin token is checked by {@link AdminRoutes}. */
public final class AdminOutboxRoutes {
  private final Outbox outbox;
  private final Gate gate;
  private final Audit audit;

  public AdminOutboxRoutes(Outbox outbox, Gate gate, Audit audit) {
    this.outbox = outbox;
    this.gate = gate;
    this.audit = audit;
  }

  public void register(RoutesConfig routes) {
    routes.get("/admin/v1/outbox", this::list);
    routes.post("/admin/v1/outbox/{id}/retry", this::retry);
  }

  /** One state's items (dead by default), newest first, a page at a time ({@code before} an item's id). */
  private void list(Context ctx) {
    int limit = Requests.limit(ctx.queryParam("limit"), 50, 200);
    String before = ctx.queryParam("before");
    long beforeId = before == null ? Long.MAX_VALUE : Requests.intParam("before", before);
    String kind = ctx.queryParam("kind");
    List<Outbox.Item> rows = outbox.list(state(ctx.queryParam("state")), kind == null || kind.isBlank() ? null
        : kind.trim(), beforeId, limit + 1);
    List<Outbox.Item> items = rows.subList(0, Math.min(limit, rows.size()));
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("items", items.stream().map(AdminOutboxRoutes::view).toList());
    body.put("nextBefore", rows.size() > limit ? items.get(items.size() - 1).id() : null);
    ctx.json(body);
  }

  private void retry(Context ctx) {
    long id = Requests.intParam("outbox item id", ctx.pathParam("id"));
    Outbox.Item item = outbox.find(id)
        .orElseThrow(() -> new Failure(ErrorCode.NOT_FOUND, "no outbox item with id " + id));
    if (!outbox.retryNow(id)) {
      throw new Failure(ErrorCode.CONFLICT, "outbox item " + id + " is " + stateName(item.state())
          + (item.state() == Outbox.State.DONE ? "; there is nothing to retry" : " and being handled right now"));
    }
    audit.record(new AuditEntry(Actor.admin(gate.clientAddress(ctx)), AuditAction.OUTBOX_RETRIED, "outbox:" + id,
        Map.of("kind", item.kind(), "was", stateName(item.state()), "attempts", item.attempts())));
    ctx.json(view(outbox.find(id).orElseThrow()));
  }

  private static Outbox.State state(String value) {
    if (value == null || value.isBlank()) {
      return Outbox.State.DEAD;
    }
    return Arrays.stream(Outbox.State.values()).filter(s -> stateName(s).equals(value.trim().toLowerCase(Locale.ROOT)))
        .findFirst()
        .orElseThrow(() -> new Failure(ErrorCode.BAD_REQUEST, "state must be pending, done or dead, got '" + value + "'"));
  }

  private static String stateName(Outbox.State state) {
    return state.name().toLowerCase(Locale.ROOT);
  }

  private static Map<String, Object> view(Outbox.Item item) {
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("id", item.id());
    view.put("kind", item.kind());
    view.put("state", stateName(item.state()));
    view.put("attempts", item.attempts());
    view.put("createdAt", Timestamps.format(item.createdAt()));
    view.put("dueAt", Timestamps.format(item.dueAt()));
    view.put("lastError", item.lastError());
    view.put("payload", item.payload());
    return view;
  }
}
