package io.verigate.server.http.dashboard;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.verigate.server.account.Actor;
import io.verigate.server.account.Operation;
import io.verigate.server.account.Principal;
import io.verigate.server.notify.Delivery;
import io.verigate.server.notify.Endpoint;
import io.verigate.server.notify.EventTypes;
import io.verigate.server.notify.WebhookFormat;
import io.verigate.server.notify.WebhookOwner;
import io.verigate.server.notify.Webhooks;
import io.verigate.server.system.ErrorCode;
import io.verigate.server.system.Failure;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The customer's webhooks under {@code /dashboard/webhooks}: the endpoints of the page's mode, a form for a new one
 * (its signing secret shown once), and each endpoint's page: its delivery log with a test send and replays, and
 * turning it off or on, a new signing secret (the old one signs beside it for a day) or deleting it.
 */
final class WebhookPages {
  private static final int LOG = 50;

  private final Pages pages;
  private final Sessions sessions;
  private final CustomerView view;
  private final Webhooks webhooks;

  WebhookPages(Pages pages, Sessions sessions, CustomerView view, Webhooks webhooks) {
    this.pages = pages;
    this.sessions = sessions;
    this.view = view;
    this.webhooks = webhooks;
  }

  void register(RoutesConfig routes) {
    routes.get("/dashboard/webhooks", pages.page(ctx -> list(ctx, null)));
    routes.post("/dashboard/webhooks", pages.page(this::create));
    routes.get("/dashboard/webhooks/{id}", pages.page(ctx -> log(ctx, null)));
    routes.post("/dashboard/webhooks/{id}/test", pages.page(ctx -> {
      Principal principal = changing(ctx);
      webhooks.test(WebhookOwner.of(principal), id(ctx, "id"));
      backToLog(ctx, principal);
    }));
    routes.post("/dashboard/webhooks/{id}/enabled", pages.page(ctx -> {
      Principal principal = changing(ctx);
      webhooks.update(actor(ctx, principal), WebhookOwner.of(principal), id(ctx, "id"),
          new Webhooks.Change(null, null, null, "true".equals(ctx.formParam("enabled"))));
      backToLog(ctx, principal);
    }));
    routes.post("/dashboard/webhooks/{id}/rotate", pages.page(ctx -> {
      Principal principal = changing(ctx);
      Webhooks.WithSecret rotated = webhooks.rotateSecret(actor(ctx, principal), WebhookOwner.of(principal),
          id(ctx, "id"), Webhooks.DEFAULT_OVERLAP);
      ctx.status(HttpStatus.CREATED);
      log(ctx, rotated.secret());
    }));
    routes.post("/dashboard/webhooks/{id}/delete", pages.page(ctx -> {
      Principal principal = changing(ctx);
      webhooks.delete(actor(ctx, principal), WebhookOwner.of(principal), id(ctx, "id"));
      ctx.redirect("/dashboard/webhooks?mode=" + CustomerView.modeName(principal.mode()), HttpStatus.SEE_OTHER);
    }));
    routes.post("/dashboard/webhooks/{id}/deliveries/{deliveryId}/replay", pages.page(ctx -> {
      Principal principal = changing(ctx);
      webhooks.replay(WebhookOwner.of(principal), id(ctx, "id"), id(ctx, "deliveryId"));
      backToLog(ctx, principal);
    }));
  }

  private void list(Context ctx, Webhooks.WithSecret created) {
    Principal principal = sessions.customer(ctx, CustomerView.mode(ctx), Operation.READ);
    Map<String, Object> model = view.model(ctx, principal, "Webhooks");
    model.put("secret", created == null ? null : created.secret());
    model.put("types", EventTypes.ALL);
    model.put("endpoints", webhooks.list(WebhookOwner.of(principal)).stream().map(WebhookPages::endpoint).toList());
    pages.render(ctx, "webhooks", model);
  }

  private void create(Context ctx) {
    Principal principal = changing(ctx);
    String format = ctx.formParam("format");
    Webhooks.WithSecret created = webhooks.create(actor(ctx, principal), WebhookOwner.of(principal),
        new Webhooks.NewEndpoint(ctx.formParam("url"), ctx.formParams("type"),
            format == null || format.isBlank() ? WebhookFormat.STANDARD : WebhookFormat.parse(format)));
    ctx.status(HttpStatus.CREATED);
    list(ctx, created);
  }

  /** The endpoint's page with its delivery log; {@code secret}, when not null, is a new signing secret shown once. */
  private void log(Context ctx, String secret) {
    Principal principal = sessions.customer(ctx, CustomerView.mode(ctx), Operation.READ);
    WebhookOwner owner = WebhookOwner.of(principal);
    long id = id(ctx, "id");
    Map<String, Object> model = view.model(ctx, principal, "Webhook deliveries");
    model.put("secret", secret);
    model.put("endpoint", endpoint(webhooks.get(owner, id)));
    model.put("deliveries", webhooks.deliveries(owner, id, Long.MAX_VALUE, LOG).stream()
        .map(WebhookPages::delivery).toList());
    pages.render(ctx, "webhook", model);
  }

  /** A change to the caller's endpoints: a form of this session, by a customer who may manage webhooks. */
  private Principal changing(Context ctx) {
    sessions.checkForm(ctx);
    return sessions.customer(ctx, CustomerView.mode(ctx), Operation.MANAGE_WEBHOOKS);
  }

  private Actor actor(Context ctx, Principal principal) {
    return Actor.customer(principal, sessions.clientAddress(ctx));
  }

  private static void backToLog(Context ctx, Principal principal) {
    ctx.redirect("/dashboard/webhooks/" + id(ctx, "id") + "?mode=" + CustomerView.modeName(principal.mode()),
        HttpStatus.SEE_OTHER);
  }

  private static Map<String, Object> endpoint(Endpoint e) {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("id", e.id());
    row.put("url", e.url());
    row.put("types", e.eventTypes().isEmpty() ? "every event" : String.join(", ", e.eventTypes()));
    row.put("format", e.format().wireName());
    row.put("enabled", e.enabled());
    row.put("state", e.enabled() ? (e.failingSince() == null ? "enabled" : "failing since " + Pages.when(e.failingSince()))
        : "disabled" + (e.disabledReason() == null ? "" : ": " + e.disabledReason()));
    return row;
  }

  private static Map<String, Object> delivery(Delivery d) {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("id", d.id());
    row.put("type", d.eventType());
    row.put("state", d.state().name().toLowerCase(Locale.ROOT));
    row.put("attempts", d.attempts());
    row.put("at", Pages.when(d.lastAttemptAt() != null ? d.lastAttemptAt() : d.createdAt()));
    row.put("answer", d.responseStatus() != null ? String.valueOf(d.responseStatus())
        : d.lastError() == null ? "" : d.lastError());
    return row;
  }

  private static long id(Context ctx, String name) {
    String value = ctx.pathParam(name);
    if (!value.matches("[0-9]{1,18}")) {
      throw new Failure(ErrorCode.NOT_FOUND, "no webhook " + name + " " + value);
    }
    return Long.parseLong(value);
  }
}
