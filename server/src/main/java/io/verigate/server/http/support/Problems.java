package io.verigate.server.http.support;

import io.javalin.http.Context;
import io.verigate.server.account.RateLimited;
import io.verigate.server.activation.EarlyCancelDenied;
import io.verigate.server.activation.PriceAboveMax;
import io.verigate.server.system.ErrorCode;
import io.verigate.server.system.Failure;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** RFC 9457 problem documents with our stable {@code code}: the REST and admin error format. */
public final class Problems {
  public static final String CONTENT_TYPE = "application/problem+json";

  private Problems() {}

  public static void write(Context ctx, Failure failure) {
    Map<String, Object> problem = body(failure.code(), failure.getMessage(), ctx.path());
    if (failure instanceof PriceAboveMax above) {
      problem.put("minPrice", above.cheapest().toDecimalString());
    }
    if (failure instanceof RateLimited limited) {
      // The member the rate-limit draft's quota-exceeded problem type defines.
      problem.put("violated-policies", List.of(limited.verdict().policy()));
    }
    RateLimitHeaders.forRefusal(ctx, failure);
    if (failure instanceof EarlyCancelDenied early) {
      // REST only: the other dialects answer this refusal with their own words and no header (see EarlyCancelDenied).
      ctx.header(RateLimitHeaders.RETRY_AFTER, Long.toString(early.retryAfterSeconds()));
    }
    send(ctx, failure.code(), problem);
  }

  public static void write(Context ctx, ErrorCode code, String detail) {
    send(ctx, code, body(code, detail, ctx.path()));
  }

  /** A problem document as JSON text, for answers written outside a Javalin context. */
  public static String document(ErrorCode code, String detail, String instance) {
    return Json.write(body(code, detail, instance));
  }

  private static void send(Context ctx, ErrorCode code, Map<String, Object> problem) {
    if (code == ErrorCode.BAD_KEY) {
      ctx.header("WWW-Authenticate", "Bearer realm=\"verigate\"");
    }
    ctx.status(code.httpStatus()).contentType(CONTENT_TYPE).result(Json.write(problem));
  }

  private static Map<String, Object> body(ErrorCode code, String detail, String instance) {
    Map<String, Object> problem = new LinkedHashMap<>();
    problem.put("type", "https://verigate.dev/problems/" + code.name().toLowerCase(Locale.ROOT).replace('_', '-'));
    problem.put("title", code.title());
    problem.put("status", code.httpStatus());
    problem.put("code", code.name());
    problem.put("detail", detail);
    problem.put("instance", instance);
    return problem;
  }
}
