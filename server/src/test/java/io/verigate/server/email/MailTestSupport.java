package io.verigate.server.email;

import io.verigate.server.account.Principal;
import io.verigate.server.testing.TestApp;
import jakarta.mail.Address;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/** A node that serves email on a loopback SMTP port, and a real SMTP client (Jakarta Mail) to write to it. */
public final class MailTestSupport {
  public static final String DOMAIN = "mail.verigate-test.example";

  private MailTestSupport() {}

  /** Overrides that open the SMTP listener on a free loopback port for {@link #DOMAIN} at 0.05 a mailbox. */
  public static Map<String, String> smtpOn(Map<String, String> more) {
    Map<String, String> values = new HashMap<>();
    values.put("email-domains", DOMAIN + ":0.05");
    values.put("smtp-port", Integer.toString(freePort()));
    values.put("smtp-host", "127.0.0.1");
    values.putAll(more);
    return values;
  }

  public static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A mail session for the node's listener. */
  public static Session session(TestApp app) {
    Properties props = new Properties();
    props.put("mail.smtp.host", "127.0.0.1");
    props.put("mail.smtp.port", Integer.toString(app.app().smtpPort()));
    props.put("mail.smtp.connectiontimeout", "5000");
    props.put("mail.smtp.timeout", "10000");
    props.put("mail.smtp.from", "bounce@sender.example");
    props.put("mail.smtp.localhost", "client.sender.example");
    return Session.getInstance(props);
  }

  /** Sends over SMTP as a mail server would, keeping the message's own Message-ID when it has one. */
  public static void send(TestApp app, MimeMessage message, String... recipients) throws MessagingException {
    String messageId = message.getHeader("Message-ID", null);
    message.saveChanges();
    if (messageId != null) {
      message.setHeader("Message-ID", messageId);
    }
    Session session = session(app);
    Address[] to = new Address[recipients.length];
    for (int i = 0; i < recipients.length; i++) {
      to[i] = new InternetAddress(recipients[i]);
    }
    try (Transport transport = session.getTransport("smtp")) {
      transport.connect();
      transport.sendMessage(message, to);
    }
  }

  /** A live customer with money, buying a mailbox for {@code site} on the test domain. */
  public static EmailActivation buy(TestApp app, Principal customer, String site) {
    return app.app().emailActivations().purchase(customer, site, DOMAIN, null, null);
  }

  /** The raw letters the journal holds for one address, oldest first. */
  public static List<byte[]> journal(TestApp app, String address) {
    return app.app().database().withHandle(h -> h.createQuery("SELECT m.raw FROM mail_message m JOIN mailbox b "
            + "ON b.id = m.mailbox_id WHERE b.address = :a ORDER BY m.id")
        .bind("a", address).mapTo(byte[].class).list());
  }
}
