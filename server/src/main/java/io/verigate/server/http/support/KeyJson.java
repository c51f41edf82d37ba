package io.verigate.server.http.support;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import io.verigate.server.account.AddressRange;
import io.verigate.server.account.ApiKeys;
import io.verigate.server.account.Mode;
import io.verigate.server.account.Scope;
import io.verigate.server.system.ErrorCode;
import io.verigate.server.system.Failure;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** API keys in JSON, the same for the operator's API and the customer's own: what a request asks for, what a key shows. */
public final class KeyJson {
  /** How long a rotated key keeps working when the request names no overlap: a day, time for any deploy. */
  public static final Duration DEFAULT_OVERLAP = Duration.ofDays(1);

  private KeyJson() {}

  /**
   * The key a request body asks for: {@code mode}, {@code label}, {@code scopes} (names), {@code allowedIps} (CIDR
   * ranges) and {@code expiresAt} (ISO-8601), all optional. An empty or absent body asks for a key like
   * {@code defaultMode}'s with every scope.
   */
  public static ApiKeys.NewKey newKey(Context ctx, Mode defaultMode) {
    JsonNode body = ctx.body().isBlank() ? Json.MAPPER.createObjectNode() : Json.body(ctx);
    String mode = Json.text(body, "mode");
    String expiresAt = Json.text(body, "expiresAt");
    return new ApiKeys.NewKey(mode == null ? defaultMode : mode(mode), Json.text(body, "label"),
        Scope.parseAll(strings(body, "scopes")),
        AddressRange.parseList(String.join(",", strings(body, "allowedIps"))),
        expiresAt == null ? null : instant("expiresAt", expiresAt));
  }

  /** A rotation's overlap from {@code overlapSeconds} in the body; absent means {@link #DEFAULT_OVERLAP}. */
  public static Duration overlap(Context ctx) {
    JsonNode body = ctx.body().isBlank() ? Json.MAPPER.createObjectNode() : Json.body(ctx);
    String seconds = Json.text(body, "overlapSeconds");
    if (seconds == null) {
      return DEFAULT_OVERLAP;
    }
    return Duration.ofSeconds(Requests.intParam("overlapSeconds", seconds));
  }

  public static Mode mode(String value) {
    return switch (value.trim().toLowerCase(Locale.ROOT)) {
      case "live" -> Mode.LIVE;
      case "test" -> Mode.TEST;
      default -> throw new Failure(ErrorCode.BAD_REQUEST, "mode must be live or test, got '" + value + "'");
    };
  }

  /** A key as listed: never its secret. */
  public static Map<String, Object> view(ApiKeys.Key key, Instant now) {
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("keyId", key.keyId());
    view.put("customerId", key.customerId());
    view.put("mode", key.mode());
    view.put("label", key.label());
    view.put("state", key.stateAt(now).name());
    view.put("scopes", key.scopes());
    view.put("allowedIps", key.allowedIps().stream().map(AddressRange::text).toList());
    view.put("createdAt", key.createdAt());
    view.put("expiresAt", key.expiresAt());
    view.put("revokedAt", key.revokedAt());
    view.put("replacedBy", key.replacedBy());
    view.put("lastUsedAt", key.lastUsedAt());
    view.put("lastUsedAddress", key.lastUsedAddress());
    return view;
  }

  /** A key just issued: its secret, shown this once, then the view. The answer must never be cached. */
  public static void answerIssued(Context ctx, ApiKeys.IssuedKey issued, Instant now) {
    Json.answerWithSecretOnce(ctx, 201, "key", issued.secret(), view(issued.key(), now));
  }

  private static List<String> strings(JsonNode body, String field) {
    JsonNode value = body.get(field);
    if (value == null || value.isNull()) {
      return List.of();
    }
    if (value.isTextual()) {
      return List.of(value.asText().split(","));
    }
    return Json.stringArray(body, field);
  }

  private static Instant instant(String field, String value) {
    try {
      return Instant.parse(value.trim());
    } catch (DateTimeParseException e) {
      throw new Failure(ErrorCode.BAD_REQUEST, field + " must be an ISO-8601 instant such as 2027-01-31T00:00:00Z");
    }
  }
}
