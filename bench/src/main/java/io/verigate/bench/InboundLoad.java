package io.verigate.bench;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Pushes WhatsApp code messages through a gateway and times each one from send to its code being readable.
 *
 * <p>Method: each sender thread owns a slice of the live activations and repeats one cycle. It gives a message a code
 * no other message has, notes the time, and delivers it to its next activation, blocking until the node acknowledges
 * it (the node acknowledges only after the journal commit); then it reads {@code GET /api/v1/activations/{id}} until
 * a response shows that code. Send-to-acknowledgement and send-to-readable (the moment that response returned) are
 * recorded per message. The read starts on the acknowledgement: since the node commits before it acknowledges,
 * starting earlier could gain at most the acknowledgement's transit time. Every first read is expected to show the
 * code; further reads (1 ms apart) are counted and printed, as they would mean an acknowledged message was not yet
 * readable. Throughput is messages delivered and read back over the run's wall time: a closed loop, so the node is
 * never asked for more than it answers, and each code is read once, as the least a customer does.
 */
final class InboundLoad {
  /** Codes are the six-digit numbers from 100000 up, one per message. */
  static final int DISTINCT_CODES = 900_000;
  private static final Duration READ_PATIENCE = Duration.ofSeconds(10);

  private final List<BenchNode.Target> targets;
  private final Api api;
  private final int port;
  private final int senders;
  /** Numbers every message of this process, so codes and message ids never repeat across runs and paths. */
  private final AtomicLong sequence = new AtomicLong();

  /** Each sender needs at least one activation of its own: {@code targets} has at least {@code senders}. */
  InboundLoad(List<BenchNode.Target> targets, Api api, int port, int senders) {
    this.targets = targets;
    this.api = api;
    this.port = port;
    this.senders = senders;
  }

  /** What one run measured. {@code cutShort} when the time limit stopped the senders before all messages went. */
  record Result(String path, int acknowledged, int refused, int unread, long extraReads, double seconds,
      double cpuSeconds, Latencies acknowledgement, Latencies readable, boolean cutShort) {

    double perSecond() {
      return acknowledged / seconds;
    }

    double coresUsed() {
      return cpuSeconds / seconds;
    }
  }

  Result run(Gateway gateway, int messages, Duration limit) throws InterruptedException {
    Run run = new Run(gateway, messages, System.nanoTime() + limit.toNanos());
    long start = System.nanoTime();
    long cpuStart = CpuClock.nanos();
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < senders; i++) {
      List<BenchNode.Target> slice = new ArrayList<>();
      for (int t = i; t < targets.size(); t += senders) {
        slice.add(targets.get(t));
      }
      Thread sender = new Thread(() -> run.send(slice), "bench-sender-" + i);
      threads.add(sender);
      sender.start();
    }
    for (Thread sender : threads) {
      sender.join();
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    double cpuSeconds = (CpuClock.nanos() - cpuStart) / 1e9;
    int acknowledged = run.acknowledgement.count();
    return new Result(gateway.path(), acknowledged, run.refused.get(), run.unread.get(), run.extraReads.get(), seconds,
        cpuSeconds, run.acknowledgement, run.readable, acknowledged + run.refused.get() < messages);
  }

  /** One run's counters, shared by its senders. */
  private final class Run {
    private final Gateway gateway;
    private final int messages;
    private final long deadline;
    private final Latencies acknowledgement = new Latencies();
    private final Latencies readable = new Latencies();
    private final AtomicInteger issued = new AtomicInteger();
    private final AtomicInteger refused = new AtomicInteger();
    private final AtomicInteger unread = new AtomicInteger();
    private final AtomicLong extraReads = new AtomicLong();

    Run(Gateway gateway, int messages, long deadline) {
      this.gateway = gateway;
      this.messages = messages;
      this.deadline = deadline;
    }

    void send(List<BenchNode.Target> slice) {
      try (KeepAliveConnection reads = new KeepAliveConnection(port)) {
        send(slice, reads);
      }
    }

    private void send(List<BenchNode.Target> slice, KeepAliveConnection reads) {
      for (int turn = 0; issued.getAndIncrement() < messages && System.nanoTime() < deadline; turn++) {
        BenchNode.Target target = slice.get(turn % slice.size());
        long n = sequence.getAndIncrement();
        String code = Long.toString(100_000 + n % DISTINCT_CODES);
        String text = "Your WhatsApp code: " + code.substring(0, 3) + "-" + code.substring(3)
            + ". Don't share this code with others.";
        long sent = System.nanoTime();
        try {
          gateway.deliver(target.phone(), text, "bench-" + n);
        } catch (Exception e) {
          refused.incrementAndGet();
          System.err.println(gateway.path() + " refused a message: " + e);
          continue;
        }
        acknowledgement.add(System.nanoTime() - sent);
        awaitCode(reads, target.activationId(), code).ifPresentOrElse(at -> readable.add(at - sent), unread::incrementAndGet);
      }
    }

    /** When the first response showing the code returned (System.nanoTime), or empty if none did in time. */
    private Optional<Long> awaitCode(KeepAliveConnection reads, int activationId, String code) {
      long giveUp = System.nanoTime() + READ_PATIENCE.toNanos();
      for (boolean first = true; System.nanoTime() < giveUp; first = false) {
        if (!first) {
          extraReads.incrementAndGet();
          LockSupport.parkNanos(1_000_000);
        }
        try {
          Optional<String> shown = api.code(reads, activationId);
          long returned = System.nanoTime();
          if (shown.filter(code::equals).isPresent()) {
            return Optional.of(returned);
          }
        } catch (IOException | RuntimeException e) {
          System.err.println("reading activation " + activationId + " failed: " + e);
        }
      }
      return Optional.empty();
    }
  }
}
