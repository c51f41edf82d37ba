package io.verigate.server.inbound.smpp;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.jsmpp.PDUException;
import org.jsmpp.SMPPConstant;
import org.jsmpp.bean.BindType;
import org.jsmpp.bean.BroadcastSm;
import org.jsmpp.bean.CancelBroadcastSm;
import org.jsmpp.bean.CancelSm;
import org.jsmpp.bean.DataCoding;
import org.jsmpp.bean.DataSm;
import org.jsmpp.bean.ESMClass;
import org.jsmpp.bean.EnquireLink;
import org.jsmpp.bean.InterfaceVersion;
import org.jsmpp.bean.NumberingPlanIndicator;
import org.jsmpp.bean.OptionalParameter;
import org.jsmpp.bean.QueryBroadcastSm;
import org.jsmpp.bean.QuerySm;
import org.jsmpp.bean.RegisteredDelivery;
import org.jsmpp.bean.ReplaceSm;
import org.jsmpp.bean.SubmitMulti;
import org.jsmpp.bean.SubmitSm;
import org.jsmpp.bean.TypeOfNumber;
import org.jsmpp.extra.NegativeResponseException;
import org.jsmpp.extra.ProcessRequestException;
import org.jsmpp.extra.ResponseTimeoutException;
import org.jsmpp.InvalidResponseException;
import org.jsmpp.session.BindRequest;
import org.jsmpp.session.BroadcastSmResult;
import org.jsmpp.session.DataSmResult;
import org.jsmpp.session.QueryBroadcastSmResult;
import org.jsmpp.session.QuerySmResult;
import org.jsmpp.session.SMPPServerSession;
import org.jsmpp.session.SMPPServerSessionListener;
import org.jsmpp.session.ServerMessageReceiverListener;
import org.jsmpp.session.Session;
import org.jsmpp.session.SubmitMultiResult;
import org.jsmpp.session.SubmitSmResult;
import org.jsmpp.session.connection.ServerConnection;
import org.jsmpp.session.connection.ServerConnectionFactory;
import org.jsmpp.session.connection.socket.ServerSocketConnection;

/**
 * An SMSC played by jSMPP on a loopback port: it accepts binds for one account, one connection at a time, and sends
 * the bound ESME deliver_sm and data_sm. {@link #deliver} returns when the ESME's resp arrives and throws
 * {@link NegativeResponseException} for an error resp, as a real SMSC would see them.
 */
final class FakeSmsc implements AutoCloseable {
  private static final Duration WAIT = Duration.ofSeconds(20);

  private final String systemId;
  private final String password;
  private final ServerSocket socket;
  private final SMPPServerSessionListener listener;
  private final Thread acceptor;
  private final AtomicInteger enquireLinks = new AtomicInteger();
  private final List<BindType> binds = new CopyOnWriteArrayList<>();
  private volatile SMPPServerSession session;
  private volatile boolean open = true;

  private FakeSmsc(String systemId, String password) throws IOException {
    this.systemId = systemId;
    this.password = password;
    this.socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    this.listener = new SMPPServerSessionListener(0, new LoopbackSocket(socket));
    listener.setMessageReceiverListener(new Receiver());
    this.acceptor = new Thread(this::acceptBinds, "fake-smsc-" + systemId);
    acceptor.setDaemon(true);
    acceptor.start();
  }

  static FakeSmsc start(String systemId, String password) {
    try {
      return new FakeSmsc(systemId, password);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  int port() {
    return socket.getLocalPort();
  }

  /** The bind types of every accepted bind, in order. */
  List<BindType> binds() {
    return binds;
  }

  int enquireLinks() {
    return enquireLinks.get();
  }

  /** Waits until the ESME has bound {@code count} times in all, and returns the session of the latest bind. */
  SMPPServerSession awaitBinds(int count) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (binds.size() < count || session == null || !session.getSessionState().isBound()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("the ESME bound " + binds.size() + " times, not " + count + ", within " + WAIT);
      }
      pause();
    }
    return session;
  }

  /** A deliver_sm to the bound ESME; returns once the ESME answered it with ESME_ROK. */
  void deliver(String from, String to, ESMClass esmClass, DataCoding coding, byte[] shortMessage,
      OptionalParameter... parameters) throws NegativeResponseException {
    try {
      awaitBinds(1).deliverShortMessage("", TypeOfNumber.UNKNOWN, NumberingPlanIndicator.UNKNOWN, from,
          TypeOfNumber.INTERNATIONAL, NumberingPlanIndicator.ISDN, to, esmClass, (byte) 0, (byte) 0,
          new RegisteredDelivery(), coding, shortMessage, parameters);
    } catch (PDUException | ResponseTimeoutException | InvalidResponseException | IOException e) {
      throw new AssertionError("deliver_sm to " + to + " failed", e);
    }
  }

  /** A data_sm carrying its text in message_payload. */
  void dataSm(String from, String to, DataCoding coding, byte[] payload) throws NegativeResponseException {
    try {
      awaitBinds(1).dataShortMessage("", TypeOfNumber.UNKNOWN, NumberingPlanIndicator.UNKNOWN, from,
          TypeOfNumber.INTERNATIONAL, NumberingPlanIndicator.ISDN, to, new ESMClass(), new RegisteredDelivery(), coding,
          new OptionalParameter.Message_payload(payload));
    } catch (PDUException | ResponseTimeoutException | InvalidResponseException | IOException e) {
      throw new AssertionError("data_sm to " + to + " failed", e);
    }
  }

  /** Closes the bound connection without an unbind, as a crashing SMSC or a broken network would. */
  void dropLink() {
    awaitBinds(1).close();
  }

  @Override
  public void close() {
    open = false;
    SMPPServerSession current = session;
    if (current != null) {
      current.close();
    }
    try {
      listener.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void acceptBinds() {
    while (open) {
      try {
        SMPPServerSession accepted = listener.accept();
        accepted.setTransactionTimer(WAIT.toMillis());
        BindRequest bind = accepted.waitForBind(WAIT.toMillis());
        if (systemId.equals(bind.getSystemId()) && password.equals(bind.getPassword())) {
          bind.accept("fakesmsc", InterfaceVersion.IF_34);
          session = accepted;
          binds.add(bind.getBindType());
        } else {
          // The ESME closes the connection itself; closing it here could overtake the resp and cost it a timeout.
          bind.reject(SMPPConstant.STAT_ESME_RINVPASWD);
        }
      } catch (IOException | TimeoutException | PDUException e) {
        // The listener closed, or a client went away before binding: the next connection is served anyway.
      }
    }
  }

  private static void pause() {
    try {
      Thread.sleep(20);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** jSMPP's listener takes a port; this hands it a socket already bound to a free loopback port. */
  private static final class LoopbackSocket implements ServerConnectionFactory {
    private final ServerSocket socket;

    LoopbackSocket(ServerSocket socket) {
      this.socket = socket;
    }

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

  /** An SMSC's side of the requests an ESME may send: only enquire_link is expected, and counted. */
  private final class Receiver implements ServerMessageReceiverListener {
    @Override
    public void onAcceptEnquireLink(EnquireLink enquireLink, Session source) {
      enquireLinks.incrementAndGet();
    }

    @Override
    public SubmitSmResult onAcceptSubmitSm(SubmitSm submitSm, SMPPServerSession source) throws ProcessRequestException {
      throw unexpected();
    }

    @Override
    public SubmitMultiResult onAcceptSubmitMulti(SubmitMulti submitMulti, SMPPServerSession source)
        throws ProcessRequestException {
      throw unexpected();
    }

    @Override
    public QuerySmResult onAcceptQuerySm(QuerySm querySm, SMPPServerSession source) throws ProcessRequestException {
      throw unexpected();
    }

    @Override
    public void onAcceptReplaceSm(ReplaceSm replaceSm, SMPPServerSession source) throws ProcessRequestException {
      throw unexpected();
    }

    @Override
    public void onAcceptCancelSm(CancelSm cancelSm, SMPPServerSession source) throws ProcessRequestException {
      throw unexpected();
    }

    @Override
    public BroadcastSmResult onAcceptBroadcastSm(BroadcastSm broadcastSm, SMPPServerSession source)
        throws ProcessRequestException {
      throw unexpected();
    }

    @Override
    public void onAcceptCancelBroadcastSm(CancelBroadcastSm cancelBroadcastSm, SMPPServerSession source)
        throws ProcessRequestException {
      throw unexpected();
    }

    @Override
    public QueryBroadcastSmResult onAcceptQueryBroadcastSm(QueryBroadcastSm queryBroadcastSm, SMPPServerSession source)
        throws ProcessRequestException {
      throw unexpected();
    }

    @Override
    public DataSmResult onAcceptDataSm(DataSm dataSm, Session source) throws ProcessRequestException {
      throw unexpected();
    }

    private ProcessRequestException unexpected() {
      return new ProcessRequestException("an ESME that only receives sends no such request", SMPPConstant.STAT_ESME_RINVCMDID);
    }
  }
}
