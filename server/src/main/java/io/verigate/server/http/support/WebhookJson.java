package io.verigate.server.http.support;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import io.verigate.server.notify.Delivery;
import io.verigate.server.notify.Endpoint;
import io.verigate.server.notify.WebhookFormat;
import io.verigate.server.notify.WebhookOwner;
import io.verigate.server.notify.Webhooks;
import io.verigate.server.system.ErrorCode;
import io.verigate.server.system.Failure;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Webhooks in JSON, the same for the customer's API and the operator's: what a request asks for, what is shown. */
public final class WebhookJson {
  public static final int DEFAULT_PAGE = 50;
  public static final int MAX_PAGE = 200;

  private WebhookJson() {}

  /** A new endpoint: {@code url}, and optionally {@code eventTypes} (none: every type) and {@code format}. */
  public static Webhooks.NewEndpoint newEndpoint(Context ctx) {
    JsonNode body = Json.body(ctx);
    String format = Json.text(body, "format");
    List<String> types = Json.stringArray(body, "eventTypes");
    return new Webhooks.NewEndpoint(Json.text(body, "url"), types == null ? List.of() : types,
        format == null ? WebhookFormat.STANDARD : WebhookFormat.parse(format));
  }

  /** A change: any of {@code url}, {@code eventTypes}, {@code format}, {@code enabled}; the others are kept. */
  public static Webhooks.Change change(Context ctx) {
    JsonNode body = Json.body(ctx);
    String format = Json.text(body, "format");
    JsonNode enabled = body.get("enabled");
    if (enabled != null && !enabled.isNull() && !enabled.isBoolean()) {
      throw new Failure(ErrorCode.BAD_REQUEST, "enabled must be true or false");
    }
    return new Webhooks.Change(Json.text(body, "url"), Json.stringArray(body, "eventTypes"),
        format == null ? null : WebhookFormat.parse(format),
        enabled == null || enabled.isNull() ? null : enabled.booleanValue());
  }

  /** A rotation's overlap from {@code overlapSeconds} in the body; absent means the default. */
  public static Duration overlap(Context ctx) {
    JsonNode body = ctx.body().isBlank() ? Json.MAPPER.createObjectNode() : Json.body(ctx);
    String seconds = Json.text(body, "overlapSeconds");
    return seconds == null ? Webhooks.DEFAULT_OVERLAP : Duration.ofSeconds(Requests.intParam("overlapSeconds", seconds));
  }

  public static Map<String, Object> view(Endpoint endpoint) {
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("id", endpoint.id());
    view.put("customerId", endpoint.owner().customerId());
    view.put("mode", endpoint.owner().mode());
    view.put("url", endpoint.url());
    view.put("eventTypes", List.copyOf(endpoint.eventTypes()));
    view.put("format", endpoint.format().wireName());
    view.put("enabled", endpoint.enabled());
    view.put("disabledReason", endpoint.disabledReason());
    view.put("failingSince", endpoint.failingSince());
    view.put("previousSecretExpiresAt", endpoint.previousSecretUntil());
    view.put("createdAt", endpoint.createdAt());
    return view;
  }

  /** An endpoint with its secret, shown this once: the answer must never be cached. */
  public static void answerWithSecret(Context ctx, Webhooks.WithSecret created, int status) {
    Json.answerWithSecretOnce(ctx, status, "secret", created.secret(), view(created.endpoint()));
  }

  public static Map<String, Object> view(Delivery delivery) {
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("id", delivery.id());
    view.put("webhookId", delivery.endpointId());
    view.put("messageId", delivery.messageId());
    view.put("eventId", delivery.eventId());
    view.put("eventType", delivery.eventType());
    view.put("state", delivery.state().wireName());
    view.put("attempts", delivery.attempts());
    view.put("createdAt", delivery.createdAt());
    view.put("lastAttemptAt", delivery.lastAttemptAt());
    view.put("responseStatus", delivery.responseStatus());
    view.put("latencyMs", delivery.latencyMillis());
    view.put("responseExcerpt", delivery.responseExcerpt());
    view.put("lastError", delivery.lastError());
    return view;
  }

  /** A page of deliveries, newest first, with {@code nextBefore} when there may be more. */
  public static void answerDeliveries(Context ctx, Webhooks webhooks, WebhookOwner owner,
      long id) {
    String before = ctx.queryParam("before");
    long beforeId = before == null ? Long.MAX_VALUE : Requests.intParam("before", before);
    int limit = Requests.limit(ctx.queryParam("limit"), DEFAULT_PAGE, MAX_PAGE);
    List<Delivery> page = webhooks.deliveries(owner, id, beforeId, limit);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("items", page.stream().map(WebhookJson::view).toList());
    body.put("nextBefore", page.size() == limit ? page.get(page.size() - 1).id() : null);
    ctx.json(body);
  }

  public static long id(Context ctx, String param) {
    return Requests.intParam(param, ctx.pathParam(param));
  }

}
