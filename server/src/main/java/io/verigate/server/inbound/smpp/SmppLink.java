package io.verigate.server.inbound.smpp;

import io.verigate.server.inventory.NumberSources;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.random.RandomGenerator;
import org.jsmpp.bean.BindType;
import org.jsmpp.bean.NumberingPlanIndicator;
import org.jsmpp.bean.TypeOfNumber;
import org.jsmpp.extra.SessionState;
import org.jsmpp.session.BindParameter;
import org.jsmpp.session.SMPPSession;
import org.jsmpp.session.connection.Connection;
import org.jsmpp.session.connection.socket.SocketConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One source's bind to its SMSC, kept up by a thread of its own: bind, wait while the link is up (jSMPP probes an idle
 * link with enquire_link and closes it when the probe goes unanswered), then wait a backoff and bind again. Every
 * change of state, and the reason for a failure, goes to the source's health.
 */
final class SmppLink implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SmppLink.class);
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration BIND_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration FIRST_RETRY = Duration.ofSeconds(1);
  private static final Duration LONGEST_RETRY = Duration.ofMinutes(1);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);

  private final NumberSources.SmppLink config;
  private final NumberSources sources;
  private final DeliverSmListener listener;
  private final Backoff backoff = new Backoff(FIRST_RETRY, LONGEST_RETRY, RandomGenerator.getDefault());
  private final Thread thread;
  /** Guards {@link #running} and is notified when the session closes or the link is stopped. */
  private final Object signal = new Object();
  private boolean running = true;
  private volatile SMPPSession session;

  SmppLink(NumberSources.SmppLink config, NumberSources sources, SmppIntake intake) {
    this.config = config;
    this.sources = sources;
    this.listener = new DeliverSmListener(config.source().id(), config.source().name(),
        Duration.ofSeconds(config.settings().reassemblySeconds()), intake);
    this.thread = new Thread(this::run, "smpp-link-" + config.source().name());
    this.thread.setDaemon(true);
  }

  NumberSources.SmppLink config() {
    return config;
  }

  void start() {
    thread.start();
  }

  private void run() {
    while (isRunning()) {
      NumberSources.SmppSettings s = config.settings();
      SMPPSession attempt = newSession();
      session = attempt;
      try {
        record("connecting", null);
        attempt.connectAndBind(s.host(), s.port(), new BindParameter(bindType(), s.systemId(), s.password(),
            s.systemType(), TypeOfNumber.UNKNOWN, NumberingPlanIndicator.UNKNOWN, null), BIND_TIMEOUT.toMillis());
        record("bound", null);
        log.info("SMPP link {} bound to {}:{} as {} ({})", name(), s.host(), s.port(), s.systemId(), s.bindType());
        backoff.reset();
        awaitClosed(attempt);
        if (isRunning()) {
          record("down", "the link to " + s.host() + ":" + s.port() + " dropped; binding again");
        } else {
          attempt.unbindAndClose();
        }
      } catch (IOException | RuntimeException e) {
        attempt.close();
        record("down", "bind to " + s.host() + ":" + s.port() + " failed: " + e.getMessage());
      }
      pause(backoff.next());
    }
    record("down", null);
  }

  private SMPPSession newSession() {
    SMPPSession created = new SMPPSession(this::connect);
    created.setEnquireLinkTimer((int) Duration.ofSeconds(config.settings().enquireLinkSeconds()).toMillis());
    created.setMessageReceiverListener(listener);
    created.addSessionStateListener((now, before, source) -> {
      if (now == SessionState.CLOSED) {
        wake();
      }
    });
    return created;
  }

  /** jSMPP's own socket factory connects without a timeout, which would hang a link on an unreachable host. */
  private Connection connect(String host, int port) throws IOException {
    Socket socket = new Socket();
    try {
      socket.connect(new InetSocketAddress(host, port), (int) CONNECT_TIMEOUT.toMillis());
      return new SocketConnection(socket);
    } catch (IOException e) {
      socket.close();
      throw e;
    }
  }

  private BindType bindType() {
    return "transceiver".equals(config.settings().bindType()) ? BindType.BIND_TRX : BindType.BIND_RX;
  }

  private void awaitClosed(SMPPSession bound) {
    synchronized (signal) {
      while (running && bound.getSessionState() != SessionState.CLOSED) {
        waitForSignal(0);
      }
    }
  }

  private void pause(Duration wait) {
    long until = System.nanoTime() + wait.toNanos();
    synchronized (signal) {
      long left;
      while (running && (left = until - System.nanoTime()) > 0) {
        waitForSignal(Math.max(1, left / 1_000_000));
      }
    }
  }

  private void waitForSignal(long millis) {
    try {
      signal.wait(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      running = false;
    }
  }

  private void wake() {
    synchronized (signal) {
      signal.notifyAll();
    }
  }

  private boolean isRunning() {
    synchronized (signal) {
      return running;
    }
  }

  /** Health is best effort: a link that cannot write its state keeps binding, and says so in the log. */
  private void record(String state, String error) {
    if (error != null) {
      log.warn("SMPP link {}: {}", name(), error);
    }
    try {
      sources.recordLinkState(config.source().id(), state, error);
    } catch (RuntimeException e) {
      log.error("SMPP link {}: could not record its state '{}'", name(), state, e);
    }
  }

  private String name() {
    return config.source().name();
  }

  /**
   * Stops the link: its thread unbinds (the SMSC then holds new messages for the next bind), and a bind still in
   * progress is cut short. Waits a while for the thread to end.
   */
  @Override
  public void close() {
    synchronized (signal) {
      running = false;
      signal.notifyAll();
    }
    SMPPSession current = session;
    if (current != null && !current.getSessionState().isBound()) {
      current.close();
    }
    try {
      thread.join(STOP_TIMEOUT.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
