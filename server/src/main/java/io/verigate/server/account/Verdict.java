package io.verigate.server.account;

/**
 * What one request's spending from a budget came to, in the terms of the {@code RateLimit} header fields: the policy
 * ({@code purchase}), its quota per window, what is left, and the seconds until the whole quota is back. A refusal
 * adds when to try again: never before the quota is back, and at least one second.
 */
public record Verdict(boolean allowed, String policy, long quota, long windowSeconds, long remaining,
    long resetSeconds, long retryAfterSeconds) {

  /** Allowed without spending from any budget (rate limits are off): nothing to tell the client. */
  static final Verdict UNCOUNTED = new Verdict(true, null, 0, 0, 0, 0, 0);

  /** Whether the request spent from a budget, and so has rate-limit fields to send. */
  public boolean counted() {
    return policy != null;
  }
}
