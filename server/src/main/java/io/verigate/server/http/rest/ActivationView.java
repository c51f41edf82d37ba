package io.verigate.server.http.rest;

import io.verigate.server.activation.Activation;
import java.time.Instant;

/** The REST shape of an activation (field names follow SMSBulk's API so its users can switch by host). */
public record ActivationView(
    int id,
    String serviceCode,
    String countryIso,
    String operator,
    String phoneNumber,
    String status,
    String code,
    String smsText,
    String smsFrom,
    String userCost,
    String currency,
    boolean canGetAnotherSms,
    Instant createdAt,
    Instant expiresAt,
    Instant receivedAt,
    Instant endedAt) {

  public static ActivationView of(Activation a, String currency) {
    return new ActivationView(a.id(), a.service(), a.country(), a.operator(), a.phone(), a.status().name(), a.code(),
        a.smsText(), a.smsFrom(), a.price().toDecimalString(), currency, a.status().isLive(),
        a.createdAt(), a.expiresAt(), a.codeAt(), a.endedAt());
  }
}
