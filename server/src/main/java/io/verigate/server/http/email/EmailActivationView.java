package io.verigate.server.http.email;

import io.verigate.server.email.EmailActivation;
import java.time.Instant;

/** The REST shape of an email activation: SMSBulk's field names, so its users switch by host. */
public record EmailActivationView(
    int id,
    String site,
    String domain,
    String emailAddress,
    String status,
    String otpValue,
    String otpLink,
    String subject,
    String from,
    String userCost,
    String currency,
    Instant expiresAt,
    Instant receivedAt,
    Instant createdAt,
    Instant endedAt) {

  public static EmailActivationView of(EmailActivation a, String currency) {
    return new EmailActivationView(a.id(), a.site(), a.domain(), a.address(), a.status().name(), a.otpCode(),
        a.otpLink(), a.subject(), a.from(), a.price().toDecimalString(), currency, a.expiresAt(), a.receivedAt(),
        a.createdAt(), a.endedAt());
  }
}
