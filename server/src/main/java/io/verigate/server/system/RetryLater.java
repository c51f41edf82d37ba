package io.verigate.server.system;

/**
 * A refusal that lifts by itself: every dialect tells the caller when to try again (HTTP {@code Retry-After}, or
 * sms-activate's {@code BANNED:<until>}).
 */
public interface RetryLater {
  /** Whole seconds until trying again can succeed; at least 1. */
  long retryAfterSeconds();
}
