package io.verigate.server.sandbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.verigate.server.account.Mode;
import io.verigate.server.account.Principal;
import io.verigate.server.email.EmailActivation;
import io.verigate.server.email.EmailActivations;
import io.verigate.server.email.EmailEvents;
import io.verigate.server.email.MailDrop;
import io.verigate.server.email.MailReader;
import io.verigate.server.email.MailReceipt;
import io.verigate.server.email.ParsedMail;
import io.verigate.server.system.ErrorCode;
import io.verigate.server.system.EventLog;
import io.verigate.server.system.Failure;
import io.verigate.server.system.Outbox;
import io.verigate.server.system.Scheduler;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.jdbi.v3.core.Handle;

/**
 * The simulated sites behind test-mode email activations: a few seconds after a sandbox purchase (or reorder) the
 * site "sends" a realistic letter, with a code and a confirmation link, to the new address through the real SMTP
 * listener (through the mail intake directly when the node runs no listener); customers can also send any letter of
 * their own. Each scheduled letter is an outbox item enqueued in the purchase's transaction with its Message-ID fixed,
 * so a restart neither loses it nor, when it is sent again, stores it twice.
 */
public final class SandboxMail {
  static final String DELIVERY = "sandbox.email";
  /** A sandbox purchase for this site gets no letter of its own accord: for testing cancel and expiry. */
  public static final String SILENT_SITE = "nomail.test";
  private static final Outbox.RetryPolicy RETRIES = new Outbox.RetryPolicy(
      List.of(Duration.ofSeconds(2), Duration.ofSeconds(10), Duration.ofMinutes(1)), 0.2);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Session SESSION = Session.getInstance(new Properties());

  private final EmailActivations activations;
  private final Outbox outbox;
  private final Scheduler scheduler;
  private final MailDrop drop;
  private final Duration delay;
  private final String sender;
  private final SecureRandom random = new SecureRandom();

  public SandboxMail(EmailActivations activations, EventLog events, Outbox outbox, Scheduler scheduler, MailDrop drop,
      Duration delay) {
    this.activations = activations;
    this.outbox = outbox;
    this.scheduler = scheduler;
    this.drop = drop;
    this.delay = delay;
    this.sender = "sandbox@" + activations.domains().sandboxDomain();
    events.onAppend(EventLog.InTransaction.forEvents(SandboxMail::callsForALetter, this::schedule));
    outbox.register(DELIVERY, RETRIES, this::send);
  }

  /** Delivers the customer's own raw RFC 5322 message to one of their sandbox email activations. */
  public MailReceipt deliverRaw(Principal principal, int id, String raw) {
    EmailActivation activation = sandboxActivation(principal, id);
    if (raw.isBlank()) {
      throw new Failure(ErrorCode.BAD_REQUEST, "raw must be a whole message: headers, a blank line, a body");
    }
    String message = raw.replace("\r\n", "\n").replace("\n", "\r\n");
    if (!message.regionMatches(true, 0, "Message-ID:", 0, 11) && !message.toLowerCase(Locale.ROOT).contains("\r\nmessage-id:")) {
      // The journal recognises a repeat by its Message-ID; a letter without one gets its own here.
      message = "Message-ID: <" + UUID.randomUUID() + "@" + activations.domains().sandboxDomain() + ">\r\n" + message;
    }
    return deliver(activation, message.getBytes(StandardCharsets.UTF_8));
  }

  /** Delivers a letter made of the customer's subject, text and optional HTML. */
  public MailReceipt deliverText(Principal principal, int id, String from, String subject, String text, String html) {
    EmailActivation activation = sandboxActivation(principal, id);
    if ((text == null || text.isBlank()) && (html == null || html.isBlank())) {
      throw new Failure(ErrorCode.BAD_REQUEST, "text or html is required (or raw, a whole message)");
    }
    String shownFrom = from == null || from.isBlank() ? "Sandbox <" + sender + ">" : from.strip();
    return deliver(activation, letter(shownFrom, activation.address(), subject == null ? "" : subject, text, html,
        "<" + UUID.randomUUID() + "@" + activations.domains().sandboxDomain() + ">"));
  }

  private EmailActivation sandboxActivation(Principal principal, int id) {
    if (principal.mode() != Mode.TEST) {
      throw new Failure(ErrorCode.FORBIDDEN, "sandbox deliveries need a test-mode key");
    }
    return activations.get(principal, id);
  }

  private MailReceipt deliver(EmailActivation activation, byte[] raw) {
    ParsedMail mail = MailReader.read(raw);
    String key = EmailActivations.messageKey(mail, raw);
    boolean repeat = activations.stored(activation.address(), key).isPresent();
    drop.drop(sender, activation.address(), raw);
    MailReceipt stored = activations.stored(activation.address(), key)
        .orElseThrow(() -> new IllegalStateException("the letter for " + activation.address() + " was not stored"));
    return new MailReceipt(stored.messageId(), stored.emailActivationId(), repeat, stored.findings());
  }

  /** Only a sandbox email activation's creation makes the simulated site send a letter. */
  private static boolean callsForALetter(boolean test, String type) {
    return test && type.equals(EmailEvents.CREATED);
  }

  /** In the transaction of a sandbox purchase or reorder: the letter the simulated site will send. */
  private void schedule(Handle h, EventLog.Event event) {
    JsonNode activation = read(event.data());
    String site = activation.path("site").asText();
    if (site.equals(SILENT_SITE)) {
      return;
    }
    String payload = write(Map.of("to", activation.path("emailAddress").asText(), "site", site,
        "code", String.format("%06d", random.nextInt(1_000_000)), "token", UUID.randomUUID().toString(),
        "messageId", "<sim-" + UUID.randomUUID() + "@" + site + ">"));
    long item = outbox.enqueue(h, DELIVERY, payload, event.occurredAt().plus(delay));
    h.afterCommit(() -> scheduler.after(delay, "sandbox letter " + item, () -> outbox.retryNow(item)));
  }

  private Outbox.Outcome send(Outbox.Item item) {
    JsonNode p = read(item.payload());
    String site = p.path("site").asText();
    String brand = brand(site);
    String code = p.path("code").asText();
    String link = "https://" + site + "/verify-email?token=" + p.path("token").asText();
    String text = "Hi,\n\nYour " + brand + " verification code is " + code + ". It expires in 15 minutes.\n\n"
        + "Or confirm your email address by opening this link:\n" + link + "\n\n"
        + "If you didn't create a " + brand + " account, you can ignore this email.\n\n— The " + brand + " team\n";
    String html = "<html><body><p>Hi,</p><p>Your " + brand + " verification code is <b>" + code + "</b>. "
        + "It expires in 15 minutes.</p><p><a href=\"" + link + "\" style=\"background:#1a73e8;color:#fff\">Confirm "
        + "email address</a></p><p>If you didn't create a " + brand + " account, you can ignore this email.</p>"
        + "<p style=\"font-size:11px\"><a href=\"https://" + site + "/email/unsubscribe\">Unsubscribe</a></p>"
        + "</body></html>";
    drop.drop(sender, p.path("to").asText(), letter(brand + " <no-reply@" + site + ">", p.path("to").asText(),
        code + " is your " + brand + " verification code", text, html, p.path("messageId").asText()));
    return new Outbox.Done();
  }

  private static String brand(String site) {
    String first = site.split("\\.")[0];
    return first.isEmpty() ? site : Character.toUpperCase(first.charAt(0)) + first.substring(1);
  }

  /** A MIME letter: text, HTML, or both as multipart/alternative, under a fixed Message-ID. */
  private static byte[] letter(String from, String to, String subject, String text, String html, String messageId) {
    try {
      MimeMessage message = new MimeMessage(SESSION);
      message.setFrom(new InternetAddress(from));
      message.setRecipient(MimeMessage.RecipientType.TO, new InternetAddress(to));
      message.setSubject(subject, "UTF-8");
      message.setSentDate(new Date());
      boolean hasText = text != null && !text.isBlank();
      boolean hasHtml = html != null && !html.isBlank();
      if (hasText && hasHtml) {
        MimeMultipart alternative = new MimeMultipart("alternative");
        MimeBodyPart plain = new MimeBodyPart();
        plain.setText(text, "UTF-8");
        MimeBodyPart rich = new MimeBodyPart();
        rich.setText(html, "UTF-8", "html");
        alternative.addBodyPart(plain);
        alternative.addBodyPart(rich);
        message.setContent(alternative);
      } else if (hasHtml) {
        message.setText(html, "UTF-8", "html");
      } else {
        message.setText(text, "UTF-8");
      }
      message.saveChanges();
      message.setHeader("Message-ID", messageId);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      message.writeTo(out);
      return out.toByteArray();
    } catch (MessagingException | IOException e) {
      throw new Failure(ErrorCode.BAD_REQUEST, "cannot make a letter of it: " + e.getMessage());
    }
  }

  private static JsonNode read(String json) {
    try {
      return JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("not JSON: " + json, e);
    }
  }

  private static String write(Map<String, String> fields) {
    try {
      return JSON.writeValueAsString(fields);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
