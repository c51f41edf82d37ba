package io.verigate.client;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * One bought number, as {@code GET /api/v1/activations/{id}} shows it. {@code status} is {@code WAITING}
 * until a code arrives, then {@code RECEIVED}; it ends as {@code FINISHED} (charged), {@code CANCELED},
 * {@code EXPIRED} or {@code BANNED} (all refunded). After a resend it is {@code WAITING} again while
 * {@code code} still shows the previous code.
 */
public record Activation(
    int id,
    String serviceCode,
    String countryIso,
    String operator,
    String phoneNumber,
    String status,
    String code,
    String smsText,
    String smsFrom,
    BigDecimal userCost,
    String currency,
    boolean canGetAnotherSms,
    Instant createdAt,
    Instant expiresAt,
    Instant receivedAt,
    Instant endedAt) {

  /** Waiting for a (first or next) code: the only status in which polling can still change something by itself. */
  public boolean isWaiting() {
    return "WAITING".equals(status);
  }

  /** A code is here and is the current one (not the previous code shown while waiting after a resend). */
  public boolean hasCode() {
    return code != null && !isWaiting();
  }
}
