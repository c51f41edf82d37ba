package io.verigate.bench;

import io.verigate.server.account.Actor;
import io.verigate.server.inventory.NumberSources;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.regex.Pattern;
import org.jsmpp.bean.DataCodings;
import org.jsmpp.bean.ESMClass;
import org.jsmpp.bean.InterfaceVersion;
import org.jsmpp.bean.NumberingPlanIndicator;
import org.jsmpp.bean.RegisteredDelivery;
import org.jsmpp.bean.TypeOfNumber;
import org.jsmpp.session.BindRequest;
import org.jsmpp.session.SMPPServerSession;
import org.jsmpp.session.SMPPServerSessionListener;
import org.jsmpp.session.connection.ServerConnection;
import org.jsmpp.session.connection.ServerConnectionFactory;
import org.jsmpp.session.connection.socket.ServerSocketConnection;

/**
 * An SMSC played by jSMPP on a loopback port, with the node bound to it as an ESME (receiver) through an smpp source
 * set up as an operator would. {@link #deliver} sends a deliver_sm and returns on the node's deliver_sm_resp, which the
 * node sends only after the message is committed. Many senders share the one bind, each waiting for its own resp, as
 * an SMSC with a window of that size would. The messages go to the seeded numbers: the node matches a message to the
 * live activation on its receiving number, whichever source delivered it.
 */
final class SmppGateway implements Gateway {
  private static final Duration PATIENCE = Duration.ofSeconds(20);
  private static final String SYSTEM_ID = "bench";
  private static final String PASSWORD = "bench";
  /** Characters whose unpacked GSM 7-bit codes equal their ASCII codes, so ASCII bytes are valid user data. */
  private static final Pattern GSM_AS_ASCII = Pattern.compile("[A-Za-z0-9 .,:'-]*");

  private final SMPPServerSessionListener listener;
  private final SMPPServerSession session;
  private final long sourceId;

  private SmppGateway(SMPPServerSessionListener listener, SMPPServerSession session, long sourceId) {
    this.listener = listener;
    this.session = session;
    this.sourceId = sourceId;
  }

  /** Opens the SMSC, adds the node's smpp source for it, and returns once the node's link reports the bind. */
  static SmppGateway bind(BenchNode node) throws Exception {
    ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    SMPPServerSessionListener listener = new SMPPServerSessionListener(0, new Loopback(socket));
    try {
      listener.setTimeout((int) PATIENCE.toMillis());
      NumberSources sources = node.app().numberSources();
      long sourceId = sources.create(Actor.SYSTEM, "bench-smsc", "smpp", NumberSources.SourceSettings.NONE,
          new NumberSources.SmppSettings("127.0.0.1", socket.getLocalPort(), SYSTEM_ID, PASSWORD, null, "receiver",
              null, null)).source().id();
      SMPPServerSession session = listener.accept();
      session.setTransactionTimer(PATIENCE.toMillis());
      BindRequest bind = session.waitForBind(PATIENCE.toMillis());
      bind.accept("bench-smsc", InterfaceVersion.IF_34);
      // The SMSC's bind_resp is out before the node has read it: only the node's link state says the bind is complete.
      long deadline = System.nanoTime() + PATIENCE.toNanos();
      while (!sources.smppLinkView(sourceId).map(link -> link.linkState().equals("bound")).orElse(false)) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("the node's SMPP link did not report its bind within " + PATIENCE);
        }
        Thread.sleep(20);
      }
      return new SmppGateway(listener, session, sourceId);
    } catch (Exception e) {
      listener.close();
      throw e;
    }
  }

  @Override
  public String path() {
    return "SMPP deliver_sm";
  }

  @Override
  public long sourceId() {
    return sourceId;
  }

  @Override
  public void deliver(String to, String text, String messageId) throws Exception {
    if (!GSM_AS_ASCII.matcher(text).matches()) {
      throw new IllegalArgumentException("this SMSC sends ASCII letters, digits and . , : ' - only: " + text);
    }
    // messageId is the HTTP adapter's; the node derives an SMPP message's id from its content.
    session.deliverShortMessage("", TypeOfNumber.ALPHANUMERIC, NumberingPlanIndicator.UNKNOWN, "WhatsApp",
        TypeOfNumber.INTERNATIONAL, NumberingPlanIndicator.ISDN, to.substring(1), new ESMClass(), (byte) 0, (byte) 0,
        new RegisteredDelivery(), DataCodings.ZERO, text.getBytes(StandardCharsets.US_ASCII));
  }

  @Override
  public void close() {
    if (session.getSessionState().isBound()) {
      session.unbindAndClose();
    } else {
      session.close();
    }
    try {
      listener.close();
    } catch (IOException e) {
      // The listener only accepted the one bind; a failed close leaves nothing the benchmark needs.
    }
  }

  /** jSMPP's listener takes a port number; this hands it a socket already bound to a free loopback port. */
  private record Loopback(ServerSocket socket) implements ServerConnectionFactory {
    @Override
    public ServerConnection listen(int port) {
      return new ServerSocketConnection(socket);
    }

    @Override
    public ServerConnection listen(int port, int timeout) {
      return new ServerSocketConnection(socket);
    }

    @Override
    public ServerConnection listen(int port, int timeout, int backlog) {
      return new ServerSocketConnection(socket);
    }
  }
}
