package io.verigate.server.http.email;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.verigate.server.account.Operation;
import io.verigate.server.account.Principal;
import io.verigate.server.activation.ActivationStatus;
import io.verigate.server.email.EmailActivation;
import io.verigate.server.email.EmailActivations;
import io.verigate.server.email.EmailDomains;
import io.verigate.server.email.MailReceipt;
import io.verigate.server.http.support.Gate;
import io.verigate.server.http.support.Json;
import io.verigate.server.http.support.LongPoll;
import io.verigate.server.http.support.Requests;
import io.verigate.server.sandbox.SandboxMail;
import io.verigate.server.system.ErrorCode;
import io.verigate.server.system.Failure;
import io.verigate.server.wallet.Money;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Email activations over REST in SMSBulk's shape, under {@code /api/v1/email-activations}, with the same key, errors,
 * long poll and {@code Idempotency-Key} as SMS activations; and the operator's per-site prices. Translation only.
 */
public final class EmailActivationRoutes {
  private static final String BASE = "/api/v1/email-activations";

  private final Gate gate;
  private final EmailActivations activations;
  private final SandboxMail sandbox;
  private final String currency;

  public EmailActivationRoutes(Gate gate, EmailActivations activations, SandboxMail sandbox, String currency) {
    this.gate = gate;
    this.activations = activations;
    this.sandbox = sandbox;
    this.currency = currency;
  }

  public void register(RoutesConfig routes) {
    routes.get(BASE + "/domains", this::domains);
    routes.post(BASE, this::purchase);
    routes.get(BASE, this::list);
    routes.get(BASE + "/{id}", ctx -> {
      Principal principal = gate.customer(ctx, Operation.POLL);
      int id = id(ctx);
      LongPoll.answer(ctx, () -> activations.get(principal, id), EmailActivation::version,
          (unchanged, wait) -> activations.awaitChange(principal, id, unchanged, wait), this::view);
    });
    routes.post(BASE + "/{id}/cancel", ctx -> view(ctx, activations.cancel(gate.customer(ctx, Operation.CHANGE), id(ctx))));
    routes.post(BASE + "/{id}/finish", ctx -> view(ctx, activations.finish(gate.customer(ctx, Operation.CHANGE), id(ctx))));
    routes.post(BASE + "/{id}/reorder", ctx -> {
      EmailActivation next = activations.reorder(gate.customer(ctx, Operation.BUY), id(ctx));
      ctx.status(201).header("Location", BASE + "/" + next.id());
      view(ctx, next);
    });
    routes.post("/api/v1/sandbox/email-activations/{id}/message", this::sandboxMessage);
    routes.put("/admin/v1/email-prices", this::setPrice);
  }

  private void domains(Context ctx) {
    Principal principal = gate.customer(ctx, Operation.READ);
    String site = EmailDomains.domainName("site", ctx.queryParam("site"));
    List<Map<String, Object>> items = new ArrayList<>();
    for (EmailDomains.Offer offer : activations.domains().offers(principal.mode(), site)) {
      Map<String, Object> item = new LinkedHashMap<>();
      item.put("name", offer.domain());
      item.put("price", offer.price().toDecimalString());
      item.put("count", EmailDomains.AVAILABLE);
      item.put("currency", currency);
      items.add(item);
    }
    ctx.json(items);
  }

  private void purchase(Context ctx) {
    Principal principal = gate.customer(ctx, Operation.BUY);
    JsonNode body = Json.body(ctx);
    String key = ctx.header("Idempotency-Key");
    if (key != null && (key.isBlank() || key.length() > 255)) {
      throw new Failure(ErrorCode.BAD_REQUEST, "Idempotency-Key must be 1-255 characters");
    }
    EmailActivation bought = activations.purchase(principal, Json.text(body, "site"), Json.text(body, "domain"), key,
        key == null ? null : Json.fingerprint(body));
    ctx.status(201).header("Location", BASE + "/" + bought.id());
    view(ctx, bought);
  }

  /** Newest first: 50 by default, at most 100; {@code before} pages back. */
  private void list(Context ctx) {
    Principal principal = gate.customer(ctx, Operation.READ);
    ActivationStatus status = null;
    String statusParam = ctx.queryParam("status");
    if (statusParam != null) {
      try {
        status = ActivationStatus.valueOf(statusParam.strip().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new Failure(ErrorCode.BAD_REQUEST, "status must be one of WAITING, RECEIVED, FINISHED, CANCELED, EXPIRED");
      }
    }
    String site = ctx.queryParam("site") == null ? null : EmailDomains.domainName("site", ctx.queryParam("site"));
    String before = ctx.queryParam("before");
    int beforeId = before == null ? Integer.MAX_VALUE : Requests.intParam("before", before);
    int limit = Requests.limit(ctx.queryParam("limit"), 50, 100);
    List<EmailActivationView> rows = activations.list(principal, status, site, null, beforeId, limit + 1).stream()
        .map(a -> EmailActivationView.of(a, currency)).toList();
    List<EmailActivationView> items = rows.subList(0, Math.min(limit, rows.size()));
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("items", items);
    body.put("nextBefore", rows.size() > limit ? items.get(items.size() - 1).id() : null);
    ctx.json(body);
  }

  /** Delivers a letter of the customer's own (raw, or subject and text) to a sandbox email activation. */
  private void sandboxMessage(Context ctx) {
    Principal principal = gate.customer(ctx, Operation.CHANGE);
    JsonNode body = Json.body(ctx);
    int id = id(ctx);
    String raw = Json.text(body, "raw");
    MailReceipt receipt = raw != null
        ? sandbox.deliverRaw(principal, id, raw)
        : sandbox.deliverText(principal, id, Json.text(body, "from"), Json.text(body, "subject"),
            Json.text(body, "text"), Json.text(body, "html"));
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("messageId", receipt.messageId());
    out.put("emailActivationId", receipt.emailActivationId());
    out.put("duplicate", receipt.duplicate());
    out.put("otpValue", receipt.findings().code());
    out.put("otpLink", receipt.findings().link());
    ctx.status(202).json(out);
  }

  private void setPrice(Context ctx) {
    gate.admin(ctx);
    JsonNode body = Json.body(ctx);
    String price = Json.text(body, "price");
    if (price == null) {
      throw new Failure(ErrorCode.BAD_REQUEST, "price is required, e.g. \"0.05\"");
    }
    ctx.json(activations.domains().setPrice(Json.text(body, "domain"), Json.text(body, "site"), Money.parse(price)));
  }

  private void view(Context ctx, EmailActivation activation) {
    ctx.json(EmailActivationView.of(activation, currency));
  }

  private static int id(Context ctx) {
    return Requests.activationId(ctx.pathParam("id"));
  }
}
