package io.verigate.server.activation;

import io.verigate.server.account.Mode;
import io.verigate.server.system.ErrorCode;
import io.verigate.server.system.Failure;
import io.verigate.server.wallet.Money;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * One purchased number for one service, and the rules for how it may change. Each transition returns the
 * next state or refuses with a {@link Failure}; persistence and money are the service's job. The lifetime is exact:
 * every transition first takes the activation {@link #asOf} its moment, so from {@code expiresAt} on the lifetime's
 * outcome stands whatever asks, and whether or not the sweep got there first.
 *
 * <p>{@code code} is the latest code received; after a resend it stays visible as the previous code while
 * the activation waits for the next one. {@code revision} counts the changes: every transition that changes anything
 * adds one.
 */
public record Activation(
    int id,
    long customerId,
    Mode mode,
    String service,
    String country,
    String operator,
    long numberId,
    String phone,
    Money price,
    long holdId,
    ActivationStatus status,
    String code,
    String smsText,
    String smsFrom,
    Instant codeAt,
    Instant createdAt,
    Instant expiresAt,
    Instant endedAt,
    int revision,
    String callbackUrl) implements Lifetime<Activation> {

  public boolean hasCode() {
    return code != null;
  }

  /**
   * Names this state as a client sees it: HTTP sends it as the activation's ETag, and a long poll waits for it to
   * change. It is the revision alone, so it tells nothing of the content: a digest of the code and text, as it once
   * was, gave a six-digit code away to anyone who tried the million candidates against the header.
   */
  public String version() {
    return Integer.toString(revision);
  }

  /**
   * A new message for this number. A code makes the activation RECEIVED; text without a code only shows. Only a
   * live activation takes a message, and its lifetime must not be over: the caller settles it first with
   * {@link #asOf}, so a message from that moment on matches nothing.
   */
  public Activation receive(String newCode, String text, String from, Instant at) {
    if (!status.isLive()) {
      return this;
    }
    if (newCode == null) {
      return with(status, code, text, from, codeAt, endedAt);
    }
    return with(ActivationStatus.RECEIVED, newCode, text, from, at, endedAt);
  }

  /** The customer wants another code on the same number. */
  public Activation requestAnotherCode(Instant now) {
    asOf(now).requireLive("request another code");
    return with(ActivationStatus.WAITING, code, smsText, smsFrom, codeAt, endedAt);
  }

  /**
   * The customer confirms the code worked; only possible once a code arrived. Finishing a FINISHED activation
   * (again, or after its lifetime finished it) answers it as it is: the outcome the customer asked for, charged once.
   */
  public Activation finish(Instant now) {
    Activation current = asOf(now);
    if (current.status == ActivationStatus.FINISHED) {
      return current;
    }
    current.requireLive("finish");
    if (!hasCode()) {
      throw new Failure(ErrorCode.INVALID_STATE, "activation " + id + " has no code yet; cancel it instead");
    }
    return ending(ActivationStatus.FINISHED, now);
  }

  /**
   * The customer gives the number back. Refused once a code arrived (the code was delivered) and during the
   * early-cancel guard, which keeps numbers from being churned faster than services send codes.
   *
   * <p>Cancelling a CANCELED activation answers it as it is. So does cancelling an EXPIRED one: its lifetime ended
   * without a code and the price went back to the wallet, which is what a cancel asks for; the status stays EXPIRED
   * because that is how it ended.
   */
  public Activation cancel(Instant now, Duration earlyCancelGuard) {
    Activation current = asOf(now);
    if (current.status == ActivationStatus.CANCELED || current.status == ActivationStatus.EXPIRED) {
      return current;
    }
    current.requireLive("cancel");
    if (hasCode()) {
      throw new Failure(ErrorCode.INVALID_STATE, "activation " + id + " already received a code; finish it instead");
    }
    Instant allowedFrom = createdAt.plus(earlyCancelGuard);
    if (now.isBefore(allowedFrom)) {
      throw new EarlyCancelDenied(id, now, allowedFrom);
    }
    return ending(ActivationStatus.CANCELED, now);
  }

  /** The service refused the number as already used or banned; nothing is charged. */
  public Activation reportBanned(Instant now) {
    asOf(now).requireLive("report as banned");
    if (hasCode()) {
      throw new Failure(ErrorCode.INVALID_STATE, "activation " + id + " already received a code; finish it instead");
    }
    return ending(ActivationStatus.BANNED, now);
  }

  @Override
  public boolean isDue(Instant now) {
    return status.isLive() && !now.isBefore(expiresAt);
  }

  /**
   * This activation as it stands at {@code now}: once its lifetime is over its outcome is fixed, whether or not the
   * sweep has settled it yet. Every customer action starts from here, so none can change an ended lifetime's outcome.
   */
  @Override
  public Activation asOf(Instant now) {
    return isDue(now) ? endLifetime(now) : this;
  }

  /**
   * The lifetime ended: a delivered code means success, otherwise the number is given back for free. It ended at
   * {@code expiresAt}, however late it is settled, so every node that settles it records the same state.
   */
  @Override
  public Activation endLifetime(Instant now) {
    if (!isDue(now)) {
      throw new IllegalStateException("activation " + id + " is not due at " + now);
    }
    return ending(hasCode() ? ActivationStatus.FINISHED : ActivationStatus.EXPIRED, expiresAt);
  }

  private void requireLive(String action) {
    if (!status.isLive()) {
      throw new Failure(ErrorCode.INVALID_STATE, "cannot " + action + ": activation " + id + " is " + status);
    }
  }

  /** This activation under the id the database gave it. */
  Activation withId(int newId) {
    return opened(newId, holdId);
  }

  /** This new activation under the ids the database gave it and its hold. */
  Activation opened(int newId, long newHoldId) {
    return new Activation(newId, customerId, mode, service, country, operator, numberId, phone, price, newHoldId,
        status, code, smsText, smsFrom, codeAt, createdAt, expiresAt, endedAt, revision, callbackUrl);
  }

  private Activation ending(ActivationStatus end, Instant at) {
    return with(end, code, smsText, smsFrom, codeAt, at);
  }

  /** The next state, one revision on; this same state when nothing changes, so that nothing is written. */
  private Activation with(ActivationStatus s, String c, String text, String from, Instant cAt, Instant ended) {
    if (s == status && Objects.equals(c, code) && Objects.equals(text, smsText) && Objects.equals(from, smsFrom)
        && Objects.equals(cAt, codeAt) && Objects.equals(ended, endedAt)) {
      return this;
    }
    return new Activation(id, customerId, mode, service, country, operator, numberId, phone, price, holdId, s, c, text,
        from, cAt, createdAt, expiresAt, ended, revision + 1, callbackUrl);
  }
}
