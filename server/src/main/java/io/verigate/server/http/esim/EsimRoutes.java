package io.verigate.server.http.esim;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.verigate.server.account.Actor;
import io.verigate.server.account.Operation;
import io.verigate.server.account.Principal;
import io.verigate.server.esim.ActivationCode;
import io.verigate.server.esim.CatalogSync;
import io.verigate.server.esim.Esim;
import io.verigate.server.esim.EsimOrder;
import io.verigate.server.esim.EsimPlan;
import io.verigate.server.esim.EsimPlans;
import io.verigate.server.esim.EsimStatus;
import io.verigate.server.esim.Esims;
import io.verigate.server.esim.OwnStock;
import io.verigate.server.esim.PlanFilter;
import io.verigate.server.esim.Profile;
import io.verigate.server.http.support.Gate;
import io.verigate.server.http.support.Json;
import io.verigate.server.http.support.Requests;
import io.verigate.server.system.ErrorCode;
import io.verigate.server.system.Failure;
import io.verigate.server.wallet.Money;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Travel eSIMs over REST under {@code /api/v1/esims}, with the same keys, scopes, errors and {@code Idempotency-Key}
 * as activations; and the operator's plans, stock and usage reports under {@code /admin/v1/esims}. Translation only.
 */
public final class EsimRoutes {
  private static final String BASE = "/api/v1/esims";
  private static final String ADMIN = "/admin/v1/esims";
  /** The most profiles one import may carry: a large supplier batch, still one short transaction. */
  private static final int MAX_IMPORT = 1000;

  private final Gate gate;
  private final Esims esims;
  private final OwnStock stock;
  /** Null without a remote supplier. */
  private final CatalogSync catalogSync;
  private final String currency;

  public EsimRoutes(Gate gate, Esims esims, OwnStock stock, CatalogSync catalogSync, String currency) {
    this.gate = gate;
    this.esims = esims;
    this.stock = stock;
    this.catalogSync = catalogSync;
    this.currency = currency;
  }

  public void register(RoutesConfig routes) {
    routes.get(BASE + "/plans", this::plans);
    routes.post(BASE + "/orders", this::order);
    routes.get(BASE + "/orders/{id}", ctx -> {
      Principal principal = gate.customer(ctx, Operation.READ);
      ctx.json(EsimViews.order(esims.getOrder(principal, id(ctx)), currency, esims.now()));
    });
    routes.get(BASE, this::list);
    routes.get(BASE + "/{id}", ctx -> view(ctx, esims.get(gate.customer(ctx, Operation.READ), id(ctx))));
    routes.get(BASE + "/{id}/usage", ctx -> ctx.json(EsimViews.usage(esims.get(gate.customer(ctx, Operation.READ),
        id(ctx)), esims.now())));
    routes.get(BASE + "/{id}/qr.png", ctx -> {
      byte[] png = esims.qrPng(gate.customer(ctx, Operation.READ), id(ctx));
      // It installs the eSIM: as private as a key, never kept by a shared cache.
      ctx.header("Cache-Control", "private, no-store").contentType("image/png").result(png);
    });
    routes.post(BASE + "/{id}/topups", ctx -> {
      Principal principal = gate.customer(ctx, Operation.BUY);
      view(ctx, esims.topUp(principal, id(ctx), Json.text(Json.body(ctx), "planId")));
    });
    routes.post(BASE + "/{id}/refund", ctx -> view(ctx, esims.refund(gate.customer(ctx, Operation.CHANGE), id(ctx))));
    routes.get(ADMIN + "/plans", this::adminPlans);
    routes.put(ADMIN + "/plans/{planId}", this::savePlan);
    routes.post(ADMIN + "/plans/{planId}/profiles", this::importProfiles);
    routes.post(ADMIN + "/catalog/sync", this::syncCatalog);
    routes.put(ADMIN + "/{id}/usage", ctx -> {
      gate.admin(ctx);
      Usage usage = usage(ctx);
      view(ctx, esims.reportUsage(id(ctx), usage.state(), usage.usedMb()));
    });
    routes.post("/api/v1/sandbox/esims/{id}/usage", ctx -> {
      Principal principal = gate.customer(ctx, Operation.CHANGE);
      Usage usage = usage(ctx);
      view(ctx, esims.reportSandboxUsage(principal, id(ctx), usage.state(), usage.usedMb()));
    });
  }

  private void plans(Context ctx) {
    Principal principal = gate.customer(ctx, Operation.READ);
    String type = ctx.queryParam("type");
    String maxPrice = ctx.queryParam("maxPrice");
    String minData = ctx.queryParam("minDataMb");
    PlanFilter filter = new PlanFilter(blankToNull(ctx.queryParam("country")), blankToNull(ctx.queryParam("region")),
        minData == null ? null : (long) Requests.intParam("minDataMb", minData),
        maxPrice == null ? null : Money.parse(maxPrice), type == null ? null : kind(type));
    ctx.json(esims.plans().list(principal.mode(), filter).stream().map(p -> EsimViews.plan(p, currency)).toList());
  }

  private void order(Context ctx) {
    Principal principal = gate.customer(ctx, Operation.BUY);
    JsonNode body = Json.body(ctx);
    String key = ctx.header("Idempotency-Key");
    if (key != null && (key.isBlank() || key.length() > 255)) {
      throw new Failure(ErrorCode.BAD_REQUEST, "Idempotency-Key must be 1-255 characters");
    }
    String quantity = Json.text(body, "quantity");
    EsimOrder order = esims.order(principal, Json.text(body, "planId"),
        quantity == null ? 1 : Requests.intParam("quantity", quantity), key, key == null ? null : Json.fingerprint(body));
    ctx.status(201).header("Location", BASE + "/orders/" + order.id());
    ctx.json(EsimViews.order(order, currency, esims.now()));
  }

  /** Newest first: 50 by default, at most 100; {@code before} pages back. */
  private void list(Context ctx) {
    Principal principal = gate.customer(ctx, Operation.READ);
    String before = ctx.queryParam("before");
    long beforeId = before == null ? Long.MAX_VALUE : Requests.intParam("before", before);
    int limit = Requests.limit(ctx.queryParam("limit"), 50, 100);
    List<Esim> rows = esims.list(principal, beforeId, limit + 1);
    List<Esim> page = rows.subList(0, Math.min(limit, rows.size()));
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("items", page.stream().map(e -> EsimViews.esim(e, currency, esims.now())).toList());
    body.put("nextBefore", rows.size() > limit ? page.get(page.size() - 1).id() : null);
    ctx.json(body);
  }

  private void adminPlans(Context ctx) {
    gate.admin(ctx);
    List<Map<String, Object>> plans = new ArrayList<>();
    esims.plans().stock().forEach((plan, free) -> plans.add(EsimViews.adminPlan(plan, currency, free)));
    ctx.json(plans);
  }

  private void savePlan(Context ctx) {
    gate.admin(ctx);
    JsonNode body = Json.body(ctx);
    String price = Json.text(body, "price");
    String validity = Json.text(body, "validityDays");
    List<String> countries = Json.stringArray(body, "countries");
    String type = Json.text(body, "type");
    EsimPlan plan = new EsimPlan(ctx.pathParam("planId"), Json.text(body, "name"), type == null ? EsimPlan.Kind.ESIM : kind(type),
        Json.text(body, "region"), countries == null ? List.of() : countries, optionalLong(body, "dataMb"),
        validity == null ? 0 : Requests.intParam("validityDays", validity), optionalInt(body, "voiceMinutes"),
        optionalInt(body, "smsCount"), price == null ? Money.ZERO : Money.parse(price), flag(body, "sandbox", false),
        flag(body, "enabled", true), Json.text(body, "supplierPackageId"), false);
    EsimPlan saved = esims.plans().save(actor(ctx), plan);
    ctx.json(EsimViews.adminPlan(saved, currency, null));
  }

  private void syncCatalog(Context ctx) {
    gate.admin(ctx);
    if (catalogSync == null) {
      throw new Failure(ErrorCode.CONFLICT, "no remote eSIM supplier is configured (esim-airalo-client-id)");
    }
    EsimPlans.Synced synced = catalogSync.run(actor(ctx));
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("added", synced.added());
    body.put("updated", synced.updated());
    body.put("withdrawn", synced.withdrawn());
    body.put("skipped", synced.skipped());
    ctx.json(body);
  }

  /** Profiles as {@code iccid} plus either {@code activationCode} or {@code smdpAddress} and {@code matchingId}. */
  private void importProfiles(Context ctx) {
    gate.admin(ctx);
    JsonNode items = Json.body(ctx).get("profiles");
    if (items == null || !items.isArray() || items.isEmpty() || items.size() > MAX_IMPORT) {
      throw new Failure(ErrorCode.BAD_REQUEST, "profiles must be an array of 1 to " + MAX_IMPORT + " profiles");
    }
    List<Profile> profiles = new ArrayList<>();
    for (int i = 0; i < items.size(); i++) {
      JsonNode item = items.get(i);
      try {
        if (!item.isObject()) {
          throw new Failure(ErrorCode.BAD_REQUEST, "each profile must be an object");
        }
        String text = Json.text(item, "activationCode");
        ActivationCode code = text != null ? ActivationCode.parse(text)
            : ActivationCode.of(Json.text(item, "smdpAddress"), Json.text(item, "matchingId"));
        profiles.add(Profile.checked(Json.text(item, "iccid"), code, Json.text(item, "confirmationCode")));
      } catch (Failure refused) {
        throw new Failure(refused.code(), "profiles[" + i + "]: " + refused.getMessage());
      }
    }
    OwnStock.Imported imported = stock.importProfiles(actor(ctx), ctx.pathParam("planId"), profiles, esims.plans());
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("imported", imported.imported());
    body.put("duplicates", imported.duplicates());
    body.put("stock", imported.free());
    ctx.json(body);
  }

  private record Usage(EsimStatus state, long usedMb) {}

  /** A usage report's body; an unknown status is left to the core's refusal, which lists the ones it takes. */
  private static Usage usage(Context ctx) {
    JsonNode body = Json.body(ctx);
    String status = Json.text(body, "status");
    EsimStatus state;
    try {
      state = status == null ? null : EsimStatus.valueOf(status.strip().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      state = null;
    }
    Long used = optionalLong(body, "usedMb");
    return new Usage(state, used == null ? 0 : used);
  }

  private void view(Context ctx, Esim esim) {
    ctx.json(EsimViews.esim(esim, currency, esims.now()));
  }

  private Actor actor(Context ctx) {
    return Actor.admin(gate.clientAddress(ctx));
  }

  private static EsimPlan.Kind kind(String type) {
    return switch (type.strip().toLowerCase(Locale.ROOT)) {
      case "esim" -> EsimPlan.Kind.ESIM;
      case "topup" -> EsimPlan.Kind.TOPUP;
      default -> throw new Failure(ErrorCode.BAD_REQUEST, "type must be esim or topup, got '" + type + "'");
    };
  }

  private static long id(Context ctx) {
    return Requests.esimId(ctx.pathParam("id"));
  }

  private static Long optionalLong(JsonNode body, String field) {
    JsonNode value = body.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.canConvertToExactIntegral() || !value.canConvertToLong()) {
      throw new Failure(ErrorCode.BAD_REQUEST, field + " must be a whole number");
    }
    return value.asLong();
  }

  private static Integer optionalInt(JsonNode body, String field) {
    Long value = optionalLong(body, field);
    if (value != null && (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE)) {
      throw new Failure(ErrorCode.BAD_REQUEST, field + " is too large");
    }
    return value == null ? null : value.intValue();
  }

  private static boolean flag(JsonNode body, String field, boolean absent) {
    JsonNode value = body.get(field);
    if (value == null || value.isNull()) {
      return absent;
    }
    if (!value.isBoolean()) {
      throw new Failure(ErrorCode.BAD_REQUEST, field + " must be true or false");
    }
    return value.asBoolean();
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value.strip();
  }
}
