package io.verigate.server.email.smtp;

import io.verigate.server.email.EmailActivations;
import io.verigate.server.email.EmailDomains;
import io.verigate.server.system.Failure;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import org.subethamail.smtp.MessageContext;
import org.subethamail.smtp.MessageHandler;
import org.subethamail.smtp.RejectException;
import org.subethamail.smtp.server.SMTPServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SMTP side of email activations: a SubEthaSMTP server that takes letters for the mailboxes Verigate handed out
 * and nothing else. {@code RCPT TO} is refused with 550 for any address that is no open mailbox (so the node relays
 * nothing and accepts no spam for made-up addresses); a message over the size limit is refused with 552 (the limit
 * is announced in EHLO's SIZE); and {@code 250} after DATA comes only once the letter is committed to the mail
 * journal for every recipient, so a crash after the answer loses nothing and a crash before it makes the sender try
 * again. STARTTLS is offered when the operator configured a certificate.
 */
public final class SmtpListener implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SmtpListener.class);
  /** One letter is delivered to at most this many of our mailboxes at once. */
  private static final int MAX_RECIPIENTS = 50;

  private final SMTPServer server;

  /**
   * @param port the port to listen on
   * @param bindAddress the interface to listen on ("0.0.0.0" for every one)
   * @param maxMessageBytes the largest message taken
   * @param tls the context STARTTLS uses, or empty to offer none
   */
  public SmtpListener(EmailActivations activations, String bindAddress, int port, int maxMessageBytes,
      Optional<SSLContext> tls) {
    SMTPServer.Builder builder = new SMTPServer.Builder()
        .bindAddress(address(bindAddress))
        .port(port)
        .softwareName("Verigate")
        // Announced in EHLO's SIZE; a message that turns out larger is drained and refused with 552 (see data).
        .maxMessageSize(maxMessageBytes)
        .maxRecipients(MAX_RECIPIENTS)
        .connectionTimeoutMs(60_000)
        .messageHandlerFactory(context -> new Letter(activations, maxMessageBytes, context));
    tls.ifPresent(context -> builder.startTlsSocketFactory(context).enableTLS());
    this.server = builder.build();
  }

  public void start() {
    server.start();
    log.info("SMTP listener on port {}", server.getPortAllocated());
  }

  /** The port it listens on. */
  public int port() {
    return server.getPortAllocated();
  }

  @Override
  public void close() {
    server.stop();
  }

  private static InetAddress address(String bindAddress) {
    try {
      return InetAddress.getByName(bindAddress);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("smtp-host: cannot resolve '" + bindAddress + "'", e);
    }
  }

  /** One SMTP transaction: MAIL FROM, the accepted RCPT TOs, then DATA. */
  private static final class Letter implements MessageHandler {
    private final EmailActivations activations;
    private final int maxMessageBytes;
    private final MessageContext context;
    private final List<String> recipients = new ArrayList<>();
    private String from;

    Letter(EmailActivations activations, int maxMessageBytes, MessageContext context) {
      this.activations = activations;
      this.maxMessageBytes = maxMessageBytes;
      this.context = context;
    }

    @Override
    public void from(String from) {
      this.from = from;
    }

    @Override
    public void recipient(String recipient) throws RejectException {
      String address = recipient == null ? "" : recipient.strip().toLowerCase(Locale.ROOT);
      boolean ours = address.contains("@") && EmailDomains.isDomainName(address.substring(address.lastIndexOf('@') + 1));
      if (!ours || !activations.accepts(address)) {
        throw new RejectException(550, "5.1.1 <" + recipient + ">: no such mailbox here, and this server relays nothing");
      }
      recipients.add(address);
    }

    @Override
    public String data(InputStream data) throws RejectException, IOException {
      byte[] raw = readAtMost(data, maxMessageBytes);
      if (raw == null) {
        throw new RejectException(552, "5.3.4 the message is larger than " + maxMessageBytes + " bytes");
      }
      for (String recipient : recipients) {
        try {
          activations.receive(recipient, from, raw);
        } catch (Failure refused) {
          throw new RejectException(550, "5.1.1 <" + recipient + ">: " + refused.getMessage());
        } catch (RuntimeException e) {
          log.error("letter from {} for {} (session {}) not stored", from, recipient, context.getSessionId(), e);
          throw new RejectException(451, "4.3.0 the letter could not be stored; try again later");
        }
      }
      return null;
    }

    @Override
    public void done() {}

    /**
     * The whole message, or null when it is larger than {@code max}: the rest is read and dropped, so the session
     * stays in step and the sender hears 552 for this message alone.
     */
    private static byte[] readAtMost(InputStream data, int max) throws IOException {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      byte[] buffer = new byte[8192];
      boolean tooLarge = false;
      int read;
      while ((read = data.read(buffer)) != -1) {
        if (!tooLarge && out.size() + read > max) {
          tooLarge = true;
          out.reset();
        }
        if (!tooLarge) {
          out.write(buffer, 0, read);
        }
      }
      return tooLarge ? null : out.toByteArray();
    }
  }
}
