package io.verigate.server.account;

import java.util.Locale;

/** What a request spends from a rate-limit budget. */
public enum LimitClass {
  /** Buying a number. */
  PURCHASE,
  /** Reading an activation's status, the hot path of every client. */
  POLL,
  /** Everything else a key does. */
  OTHER,
  /** Requests without a valid credential, counted per client address. */
  ANONYMOUS;

  /** The policy's name in the {@code RateLimit-Policy} and {@code RateLimit} fields, e.g. {@code purchase}. */
  public String policy() {
    return name().toLowerCase(Locale.ROOT);
  }
}
