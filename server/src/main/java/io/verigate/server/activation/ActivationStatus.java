package io.verigate.server.activation;

/** Where an activation is in its life. The first two are live; the rest are terminal. */
public enum ActivationStatus {
  /** A number is assigned and no unread code is there (first code, or another one after a resend). */
  WAITING,
  /** A code arrived; the customer may finish, or ask for another code. */
  RECEIVED,
  /** Succeeded: the hold is posted and the customer is charged. */
  FINISHED,
  /** The customer cancelled before any code: the hold is voided. */
  CANCELED,
  /** The lifetime ended with no code: the hold expires, nothing is charged. */
  EXPIRED,
  /** The customer reported the number as banned by the service: the hold is voided, the number flagged. */
  BANNED;

  public boolean isLive() {
    return this == WAITING || this == RECEIVED;
  }
}
