package io.verigate.server.http.support;

import io.javalin.http.Context;
import io.verigate.server.account.Metered;
import io.verigate.server.account.Verdict;
import io.verigate.server.system.Failure;
import io.verigate.server.system.RetryLater;

/**
 * The rate-limit fields of draft-ietf-httpapi-ratelimit-headers on every answer that spent from a budget:
 * {@code RateLimit-Policy: "purchase";q=600;w=60} (quota per window) and {@code RateLimit: "purchase";r=599;t=12}
 * (what is left, and the seconds until the whole quota is back), both Structured Field lists of one item. A refusal
 * adds {@code Retry-After} in whole seconds, never before the quota is back.
 */
public final class RateLimitHeaders {
  public static final String POLICY = "RateLimit-Policy";
  public static final String LIMIT = "RateLimit";
  public static final String RETRY_AFTER = "Retry-After";

  private RateLimitHeaders() {}

  /** The fields for one spending; nothing when rate limits are off. */
  public static void write(Context ctx, Verdict verdict) {
    if (!verdict.counted()) {
      return;
    }
    ctx.header(POLICY, policy(verdict));
    ctx.header(LIMIT, limit(verdict));
    if (!verdict.allowed()) {
      ctx.header(RETRY_AFTER, Long.toString(verdict.retryAfterSeconds()));
    }
  }

  /** The headers of a refusal in any dialect: the budget it spent from, or when a refusal that lifts by itself does. */
  public static void forRefusal(Context ctx, Failure failure) {
    if (failure instanceof Metered spent) {
      write(ctx, spent.verdict());
    } else if (failure instanceof RetryLater later) {
      ctx.header(RETRY_AFTER, Long.toString(later.retryAfterSeconds()));
    }
  }

  static String policy(Verdict verdict) {
    return name(verdict.policy()) + ";q=" + verdict.quota() + ";w=" + verdict.windowSeconds();
  }

  static String limit(Verdict verdict) {
    return name(verdict.policy()) + ";r=" + verdict.remaining() + ";t=" + verdict.resetSeconds();
  }

  /** A Structured Field String: in double quotes, with {@code "} and {@code \} escaped. */
  private static String name(String policy) {
    return '"' + policy.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
  }
}
