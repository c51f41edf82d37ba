package io.verigate.server.email.smtp;

import io.verigate.server.email.MailDrop;
import jakarta.mail.Address;
import io.verigate.server.system.ErrorCode;
import io.verigate.server.system.Failure;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.util.Properties;

/**
 * Sends a letter to this node's own SMTP listener with Jakarta Mail, exactly as a remote mail server would: the
 * sandbox's letters take the real path (RCPT check, size limit, journal, 250). The message is sent as given, its
 * headers untouched.
 */
public final class LoopbackSender implements MailDrop {
  private final Properties properties = new Properties();

  /** {@code host}: where the listener is reached ("0.0.0.0" means this machine's loopback). */
  public LoopbackSender(String host, int port) {
    String reach = host.equals("0.0.0.0") || host.equals("::") || host.isBlank() ? "127.0.0.1" : host;
    properties.put("mail.smtp.host", reach);
    properties.put("mail.smtp.port", Integer.toString(port));
    properties.put("mail.smtp.connectiontimeout", "10000");
    properties.put("mail.smtp.timeout", "30000");
    // EHLO names this machine without asking the resolver, which can take seconds
    properties.put("mail.smtp.localhost", "localhost");
  }

  @Override
  public void drop(String envelopeFrom, String recipient, byte[] raw) {
    Properties perLetter = new Properties();
    perLetter.putAll(properties);
    perLetter.put("mail.smtp.from", envelopeFrom);
    Session session = Session.getInstance(perLetter);
    try (Transport transport = session.getTransport("smtp")) {
      MimeMessage message = new MimeMessage(session, new ByteArrayInputStream(raw));
      transport.connect();
      transport.sendMessage(message, new Address[] {new InternetAddress(recipient)});
    } catch (SendFailedException refused) {
      // the listener said no (the mailbox no longer takes mail, or the letter is too large): the caller's request
      throw new Failure(ErrorCode.INVALID_STATE, "the SMTP listener refused the letter for " + recipient + ": "
          + refused.getMessage());
    } catch (MessagingException e) {
      throw new IllegalStateException("the SMTP listener did not take the letter for " + recipient + ": "
          + e.getMessage(), e);
    }
  }
}
