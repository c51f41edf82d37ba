package io.verigate.server.email.smtp;

import static io.verigate.server.email.MailTestSupport.buy;
import static io.verigate.server.email.MailTestSupport.journal;
import static io.verigate.server.email.MailTestSupport.send;
import static io.verigate.server.email.MailTestSupport.session;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.verigate.server.account.Principal;
import io.verigate.server.activation.ActivationStatus;
import io.verigate.server.email.EmailActivation;
import io.verigate.server.email.MailTestSupport;
import io.verigate.server.testing.TestApp;
import io.verigate.server.wallet.Money;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Real mail, sent with Jakarta Mail over SMTP on loopback to the node's listener: every shape a sender uses reaches
 * the activation with its code and link, refusals come at the SMTP step a sender expects, and 250 means stored.
 */
class SmtpTranscriptTest {
  private static final AtomicInteger NEXT = new AtomicInteger();
  private static TestApp app;
  private static Principal customer;

  @BeforeAll
  static void start() {
    app = TestApp.start(MailTestSupport.smtpOn(Map.of("smtp-max-message-size", "65536")));
    customer = app.livePrincipal("mail customer", Money.parse("100.00"));
  }

  @AfterAll
  static void stop() {
    app.close();
  }

  @Test
  void aPlainTextLetterDeliversItsCode() throws Exception {
    EmailActivation bought = buy(app, customer, "telegram.org");
    MimeMessage letter = letter(bought, "Your login code");
    letter.setText("Hello!\n\nYour Telegram login code is 58213. Do not give it to anyone.\n", "UTF-8");

    send(app, letter, bought.address());

    EmailActivation received = current(bought);
    assertThat(received.status()).isEqualTo(ActivationStatus.RECEIVED);
    assertThat(received.otpCode()).isEqualTo("58213");
    assertThat(received.subject()).isEqualTo("Your login code");
    assertThat(received.from()).contains("no-reply@sender.example");
  }

  @Test
  void anHtmlOnlyLetterDeliversItsVerificationLinkNotItsUnsubscribeLink() throws Exception {
    EmailActivation bought = buy(app, customer, "github.com");
    MimeMessage letter = letter(bought, "[GitHub] Please verify your email address.");
    letter.setText("<html><body><a href=\"https://github.com/\"><img src=\"https://github.com/logo.png\"></a>"
        + "<p>Almost done! To complete your GitHub sign up, we just need to verify your email address.</p>"
        + "<p><a href=\"https://github.com/users/confirm_verification/abc123?via_launch_code_email=true\">Verify email "
        + "address</a></p><p><a href=\"https://github.com/settings/emails/unsubscribe\">Unsubscribe</a></p>"
        + "<img src=\"https://track.github.com/open.gif\" width=\"1\" height=\"1\"></body></html>", "UTF-8", "html");

    send(app, letter, bought.address());

    EmailActivation received = current(bought);
    assertThat(received.otpLink())
        .isEqualTo("https://github.com/users/confirm_verification/abc123?via_launch_code_email=true");
    assertThat(received.otpCode()).isNull();
    assertThat(received.status()).isEqualTo(ActivationStatus.RECEIVED);
  }

  @Test
  void aMultipartAlternativeLetterDeliversCodeAndLink() throws Exception {
    EmailActivation bought = buy(app, customer, "discord.com");
    MimeMessage letter = letter(bought, "Verify Email Address for Discord");
    MimeMultipart alternative = new MimeMultipart("alternative");
    MimeBodyPart plain = new MimeBodyPart();
    plain.setText("Your verification code is 730194.\nOr verify here: https://click.discord.com/ls/click?upn=verify-xyz\n",
        "UTF-8");
    MimeBodyPart html = new MimeBodyPart();
    html.setText("<p>Your verification code is <b>730194</b>.</p><a href=\"https://click.discord.com/ls/click?upn=xyz\">"
        + "Verify Email</a>", "UTF-8", "html");
    alternative.addBodyPart(plain);
    alternative.addBodyPart(html);
    letter.setContent(alternative);

    send(app, letter, bought.address());

    EmailActivation received = current(bought);
    assertThat(received.otpCode()).isEqualTo("730194");
    assertThat(received.otpLink()).isEqualTo("https://click.discord.com/ls/click?upn=xyz");
  }

  @Test
  void quotedPrintableAndBase64BodiesAreDecoded() throws Exception {
    for (String encoding : new String[] {"quoted-printable", "base64"}) {
      EmailActivation bought = buy(app, customer, "example.com");
      MimeMessage letter = letter(bought, "Code de vérification");
      letter.setText("Votre code de vérification est\u00a0: 615 204\n\nCe code expire dans 10 minutes. "
          + "=== une ligne très longue pour forcer le découpage des lignes en quoted-printable ===\n", "UTF-8");
      letter.setHeader("Content-Transfer-Encoding", encoding);

      send(app, letter, bought.address());

      assertThat(new String(journal(app, bought.address()).get(0), java.nio.charset.StandardCharsets.US_ASCII))
          .containsIgnoringCase("Content-Transfer-Encoding: " + encoding);
      assertThat(current(bought).otpCode()).as(encoding).isEqualTo("615204");
    }
  }

  @Test
  void aLetterInANonUtf8CharsetIsReadInItsCharset() throws Exception {
    EmailActivation bought = buy(app, customer, "vk.com");
    MimeMessage letter = letter(bought, "Код подтверждения");
    letter.setText("Здравствуйте!\nВаш код подтверждения: 482913\nНикому не сообщайте этот код.", "windows-1251");

    send(app, letter, bought.address());

    EmailActivation received = current(bought);
    assertThat(received.otpCode()).isEqualTo("482913");
    assertThat(received.subject()).isEqualTo("Код подтверждения");
    assertThat(received.text()).contains("Здравствуйте");
  }

  @Test
  void anAttachmentIsIgnoredAndTheBodyStillCounts() throws Exception {
    EmailActivation bought = buy(app, customer, "dropbox.com");
    MimeMessage letter = letter(bought, "Your Dropbox security code");
    MimeMultipart mixed = new MimeMultipart("mixed");
    MimeBodyPart body = new MimeBodyPart();
    body.setText("Your security code is 246810.", "UTF-8");
    MimeBodyPart attachment = new MimeBodyPart();
    attachment.setText("invoice 999999 total 123456", "UTF-8");
    attachment.setFileName("invoice-999999.txt");
    attachment.setDisposition("attachment");
    mixed.addBodyPart(body);
    mixed.addBodyPart(attachment);
    letter.setContent(mixed);

    send(app, letter, bought.address());

    assertThat(current(bought).otpCode()).isEqualTo("246810");
  }

  @Test
  void anUnknownRecipientIsRefusedAtRcptWith550AndNothingIsRelayed() throws Exception {
    EmailActivation bought = buy(app, customer, "x.com");
    MimeMessage letter = letter(bought, "Your code");
    letter.setText("Your code is 111222", "UTF-8");

    for (String stranger : new String[] {"nobody@" + MailTestSupport.DOMAIN, "someone@gmail.com"}) {
      assertThatThrownBy(() -> send(app, letter, stranger))
          .isInstanceOf(SendFailedException.class)
          .satisfies(e -> assertThat(((SMTPAddressFailedException) ((SendFailedException) e).getNextException())
              .getReturnCode()).isEqualTo(550));
    }
    assertThat(journal(app, bought.address())).isEmpty();
  }

  @Test
  void anOversizedLetterIsRefusedWith552() throws Exception {
    EmailActivation bought = buy(app, customer, "big.example");
    MimeMessage letter = letter(bought, "Your code");
    letter.setText("Your code is 333444\n" + "x".repeat(100_000), "UTF-8");

    assertThatThrownBy(() -> send(app, letter, bought.address()))
        .isInstanceOf(MessagingException.class)
        .satisfies(e -> assertThat(returnCode(e)).isEqualTo(552));
    assertThat(journal(app, bought.address())).isEmpty();
    assertThat(current(bought).status()).isEqualTo(ActivationStatus.WAITING);
  }

  @Test
  void aRepeatedMessageIdIsStoredOnce() throws Exception {
    EmailActivation bought = buy(app, customer, "twitch.tv");
    MimeMessage letter = letter(bought, "Your Twitch code");
    letter.setText("Your Twitch verification code is 998877", "UTF-8");

    send(app, letter, bought.address());
    send(app, letter, bought.address());

    assertThat(journal(app, bought.address())).hasSize(1);
    assertThat(current(bought).otpCode()).isEqualTo("998877");
  }

  @Test
  void aLetterAnsweredWith250SurvivesARestartAtOnce() throws Exception {
    TestApp node = TestApp.start(MailTestSupport.smtpOn(Map.of()));
    Principal buyer = node.livePrincipal("restart customer", Money.parse("10.00"));
    EmailActivation bought = buy(node, buyer, "steampowered.com");
    MimeMessage letter = new MimeMessage(session(node));
    letter.setFrom(new InternetAddress("noreply@steampowered.com"));
    letter.setSubject("Your Steam account: Access from new web or mobile device");
    letter.setText("Your Steam login code is 553311", "UTF-8");

    send(node, letter, bought.address());
    node.close();
    TestApp restarted = node.anotherNode(MailTestSupport.smtpOn(Map.of()));
    try {
      assertThat(journal(restarted, bought.address())).hasSize(1);
      EmailActivation after = restarted.app().emailActivations().get(buyer, bought.id());
      assertThat(after.status()).isEqualTo(ActivationStatus.RECEIVED);
      assertThat(after.otpCode()).isEqualTo("553311");
    } finally {
      restarted.close();
    }
  }

  private static int returnCode(Throwable e) {
    for (Throwable t = e; t != null; t = t instanceof MessagingException m && m.getNextException() != null
        ? m.getNextException() : t.getCause()) {
      if (t instanceof SMTPSendFailedException failed) {
        return failed.getReturnCode();
      }
      if (t instanceof MessagingException && t.getMessage() != null && t.getMessage().matches("(?s)^\\d{3} .*")) {
        return Integer.parseInt(t.getMessage().substring(0, 3));
      }
    }
    throw new AssertionError("no SMTP reply code in " + e);
  }

  private static MimeMessage letter(EmailActivation to, String subject) throws MessagingException {
    MimeMessage letter = new MimeMessage(session(app));
    letter.setFrom(new InternetAddress("Sender <no-reply@sender.example>"));
    letter.setRecipient(MimeMessage.RecipientType.TO, new InternetAddress(to.address()));
    letter.setSubject(subject, "UTF-8");
    letter.setHeader("Message-ID", "<t" + NEXT.incrementAndGet() + "." + System.nanoTime() + "@sender.example>");
    return letter;
  }

  private static EmailActivation current(EmailActivation bought) {
    return app.app().emailActivations().get(customer, bought.id());
  }
}
