package io.verigate.server.email;

import io.verigate.server.account.Mode;
import io.verigate.server.activation.Activation;
import io.verigate.server.activation.ActivationStatus;
import io.verigate.server.activation.Lifetime;
import io.verigate.server.wallet.Money;
import java.time.Duration;
import java.time.Instant;

/**
 * One mailbox bought for one site, waiting for its letter.
 *
 * <p>The lifecycle is an SMS {@link Activation}'s, held in {@code lifecycle} and moved only through its transitions, so
 * the rules (finish only after a delivery, no cancel after one, the lifetime's exact end deciding FINISHED or EXPIRED,
 * one revision per change) live in one place for both. Email activations keep a table of their own because what they
 * carry differs (a mailbox, a site, a subject, a link) and because SMS dialects list and count activations by number:
 * in the lifecycle the site stands where the service does, the domain where the operator does, the mailbox where the
 * number does, the address where the phone does, and the delivered value (the code, else the link) where the code does.
 *
 * <p>Unlike a number, an address is never handed to anyone else, so there is no early-cancel guard: nothing is
 * churned by cancelling one at once.
 */
public record EmailActivation(Activation lifecycle, String otpCode, String otpLink, String subject, String comment)
    implements Lifetime<EmailActivation> {
  /** What the table keeps of a letter's text and of its headers (V20). */
  static final int MAX_TEXT = 20_000;
  static final int MAX_HEADER = 1_000;

  /** A new activation: WAITING on {@code address} until {@code expiresAt}. */
  static EmailActivation opened(long customerId, Mode mode, String site, String domain, long mailboxId, String address,
      Money price, long holdId, Instant now, Instant expiresAt) {
    return new EmailActivation(new Activation(0, customerId, mode, site, "", domain, mailboxId, address, price, holdId,
        ActivationStatus.WAITING, null, null, null, null, now, expiresAt, null, 0, null), null, null, null, null);
  }

  public int id() {
    return lifecycle.id();
  }

  public long customerId() {
    return lifecycle.customerId();
  }

  public Mode mode() {
    return lifecycle.mode();
  }

  public String site() {
    return lifecycle.service();
  }

  public String domain() {
    return lifecycle.operator();
  }

  public long mailboxId() {
    return lifecycle.numberId();
  }

  public String address() {
    return lifecycle.phone();
  }

  public Money price() {
    return lifecycle.price();
  }

  public ActivationStatus status() {
    return lifecycle.status();
  }

  /** The code, else the link: what the letter delivered. */
  public String value() {
    return lifecycle.code();
  }

  public String text() {
    return lifecycle.smsText();
  }

  public String from() {
    return lifecycle.smsFrom();
  }

  public Instant receivedAt() {
    return lifecycle.codeAt();
  }

  public Instant createdAt() {
    return lifecycle.createdAt();
  }

  public Instant expiresAt() {
    return lifecycle.expiresAt();
  }

  public Instant endedAt() {
    return lifecycle.endedAt();
  }

  /** The state's name for ETags and long polls: the lifecycle's revision. */
  public String version() {
    return lifecycle.version();
  }

  /**
   * A letter arrived. One with a code or a link makes the activation RECEIVED; one without only shows (its subject,
   * sender and text), as an SMS without a code does. Only a live activation takes it (the caller settles the lifetime
   * first with {@link #asOf}).
   */
  EmailActivation receive(ParsedMail mail, MailFindings found, Instant at) {
    Activation next = lifecycle.receive(found.value(), cut(mail.text(), MAX_TEXT), cut(mail.from(), MAX_HEADER), at);
    if (next == lifecycle) {
      return this;
    }
    String shownSubject = cut(mail.subject(), MAX_HEADER);
    return found.found()
        ? new EmailActivation(next, found.code(), found.link(), shownSubject, comment)
        : new EmailActivation(next, otpCode, otpLink, shownSubject, comment);
  }

  EmailActivation finish(Instant now) {
    return with(lifecycle.finish(now));
  }

  EmailActivation cancel(Instant now) {
    return with(lifecycle.cancel(now, Duration.ZERO));
  }

  @Override
  public EmailActivation asOf(Instant now) {
    return with(lifecycle.asOf(now));
  }

  @Override
  public boolean isDue(Instant now) {
    return lifecycle.isDue(now);
  }

  EmailActivation withComment(String newComment) {
    return new EmailActivation(lifecycle, otpCode, otpLink, subject, newComment);
  }

  @Override
  public EmailActivation endLifetime(Instant now) {
    return with(lifecycle.endLifetime(now));
  }

  private EmailActivation with(Activation next) {
    return next.equals(lifecycle) ? this : new EmailActivation(next, otpCode, otpLink, subject, comment);
  }

  static String cut(String text, int max) {
    return text == null || text.length() <= max ? text : text.substring(0, max);
  }
}
