package io.verigate.server.email.smtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.verigate.server.account.Principal;
import io.verigate.server.email.EmailActivation;
import io.verigate.server.email.MailTestSupport;
import io.verigate.server.system.ConfigException;
import io.verigate.server.testing.TestApp;
import io.verigate.server.wallet.Money;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** STARTTLS: offered when the operator configured a certificate, and a letter sent over it arrives. */
class SmtpStartTlsTest {
  @TempDir
  static Path dir;

  @Test
  void aCertificateMakesTheListenerOfferStartTlsAndALetterArrivesOverIt() throws Exception {
    Path keystore = selfSignedKeystore();
    try (TestApp app = TestApp.start(MailTestSupport.smtpOn(Map.of("smtp-tls-keystore", keystore.toString(),
        "smtp-tls-password", "changeit")))) {
      Principal customer = app.livePrincipal("tls customer", Money.parse("1.00"));
      EmailActivation bought = MailTestSupport.buy(app, customer, "google.com");

      sendRequiringTls(app, bought.address());

      assertThat(app.app().emailActivations().get(customer, bought.id()).otpCode()).isEqualTo("482913");
    }
  }

  @Test
  void withoutACertificateNoStartTlsIsOffered() {
    try (TestApp app = TestApp.start(MailTestSupport.smtpOn(Map.of()))) {
      Principal customer = app.livePrincipal("plain customer", Money.parse("1.00"));
      EmailActivation bought = MailTestSupport.buy(app, customer, "google.com");

      assertThatThrownBy(() -> sendRequiringTls(app, bought.address()))
          .isInstanceOf(MessagingException.class)
          .hasMessageContaining("STARTTLS");
    }
  }

  @Test
  void anUnreadableKeystoreStopsTheNodeNamingTheKey() {
    assertThatThrownBy(() -> TestApp.start(MailTestSupport.smtpOn(Map.of("smtp-tls-keystore",
        dir.resolve("missing.p12").toString()))))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("smtp-tls-keystore");
  }

  private static void sendRequiringTls(TestApp app, String to) throws MessagingException {
    Properties props = new Properties();
    props.putAll(MailTestSupport.session(app).getProperties());
    props.put("mail.smtp.starttls.enable", "true");
    props.put("mail.smtp.starttls.required", "true");
    props.put("mail.smtp.ssl.trust", "*");
    Session session = Session.getInstance(props);
    MimeMessage letter = new MimeMessage(session);
    letter.setFrom(new InternetAddress("Google <noreply@google.com>"));
    letter.setRecipient(MimeMessage.RecipientType.TO, new InternetAddress(to));
    letter.setSubject("G-482913 is your Google verification code");
    letter.setText("Use this code: 482913");
    letter.saveChanges();
    try (Transport transport = session.getTransport("smtp")) {
      transport.connect();
      transport.sendMessage(letter, letter.getAllRecipients());
    }
  }

  private static Path selfSignedKeystore() throws Exception {
    Path keystore = dir.resolve("smtp.p12");
    Files.deleteIfExists(keystore);
    Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
        "-genkeypair", "-alias", "smtp", "-keyalg", "RSA", "-keysize", "2048", "-dname", "CN=localhost",
        "-validity", "2", "-storetype", "PKCS12", "-keystore", keystore.toString(), "-storepass", "changeit",
        "-keypass", "changeit", "-ext", "SAN=ip:127.0.0.1,dns:localhost").redirectErrorStream(true).start();
    assertThat(keytool.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(keytool.exitValue()).as(new String(keytool.getInputStream().readAllBytes())).isZero();
    return keystore;
  }
}
