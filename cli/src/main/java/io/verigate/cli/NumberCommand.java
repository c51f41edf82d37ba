package io.verigate.cli;

import io.verigate.client.Activation;
import io.verigate.client.BuyRequest;
import io.verigate.client.VerigateClient;
import io.verigate.client.VerigateException;
import io.verigate.server.system.Config;
import io.verigate.server.system.ConfigException;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code verigate number SERVICE}: buys a number and, with {@code --wait}, waits for its code through the SDK's
 * long poll, showing the wait as it goes, then finishes or cancels as told. Without a code in time it exits 75.
 */
@Command(name = "number", description = {"Buy a number for a service and, with --wait, wait for its code.",
    "With --json it prints the activation as bought and, after the wait, as it ended: one JSON document a line."})
final class NumberCommand extends CustomerCommand {
  /** How often the progress line moves while the long poll waits. */
  private static final Duration TICK = Duration.ofSeconds(1);

  @Parameters(paramLabel = "SERVICE", description = "the service: its code (wa) or its name (whatsapp)")
  String service;

  @Option(names = "--country", paramLabel = "COUNTRY", split = ",", required = true,
      description = "one country (us, usa or 187), or several ranked: the first with a number at or under "
          + "--max-price wins")
  List<String> countries;

  @Option(names = "--max-price", paramLabel = "AMOUNT", description = "pay at most this, e.g. 0.60")
  BigDecimal maxPrice;

  @Option(names = "--operator", paramLabel = "OPERATOR", description = "only numbers of this mobile operator")
  String operator;

  @Option(names = "--wait", description = "wait for the code and print it")
  boolean await;

  @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "10m", converter = DurationConverter.class,
      description = "with --wait, how long to wait for the code, e.g. 90s or 10m (default ${DEFAULT-VALUE})")
  Duration timeout;

  @Option(names = "--finish", description = "with --wait, finish the activation once the code is here (it is charged)")
  boolean finish;

  @Option(names = "--cancel-on-timeout", description = "with --wait, cancel the activation when no code came in time "
      + "(refunded)")
  boolean cancelOnTimeout;

  @Override
  int run(VerigateClient client) throws InterruptedException {
    if (!await && (finish || cancelOnTimeout)) {
      throw new OperatorFailure(Main.USAGE, "--finish and --cancel-on-timeout act after --wait; add --wait");
    }
    BuyRequest order = new BuyRequest(service, null, countries, operator, maxPrice, null);
    Activation bought = client.buy(order);
    show(bought, (activation, out) -> out.println("Number " + ActivationText.number(activation)));
    if (!await) {
      if (!json) {
        out().println("Its code: verigate status " + bought.id() + "  (or buy with --wait)");
      }
      return 0;
    }
    Activation ended = awaitCode(client, bought);
    if (ended.hasCode()) {
      return received(client, ended);
    }
    if (ended.isWaiting()) {
      throw afterTimeout(client, ended);
    }
    showJson(ended);
    throw new OperatorFailure(Main.TEMP_FAILURE, "activation " + ended.id() + " ended " + ended.status()
        + " without a code; its price is refunded");
  }

  private int received(VerigateClient client, Activation withCode) {
    if (!json) {
      out().println(ActivationText.code(withCode));
    }
    if (!finish) {
      show(withCode, (activation, out) -> out.println("Once the code worked: verigate finish " + activation.id()));
      return 0;
    }
    show(client.finish(withCode.id()), (activation, out) -> out.println(ActivationText.finished(activation)));
    return 0;
  }

  /** No code within --timeout: cancels if told to, and returns the failure the command ends with. */
  private OperatorFailure afterTimeout(VerigateClient client, Activation waiting) {
    String noCode = "no code within " + WaitProgress.clock(timeout);
    if (!cancelOnTimeout) {
      showJson(waiting);
      return new OperatorFailure(Main.TEMP_FAILURE, noCode + "; activation " + waiting.id() + " is still waiting: "
          + "verigate status " + waiting.id() + ", or give it back with verigate cancel " + waiting.id());
    }
    Activation canceled;
    try {
      canceled = client.cancel(waiting.id());
    } catch (VerigateException e) {
      showJson(waiting);
      return new OperatorFailure(ApiRefusal.exitCode(e), noCode + ", and the node refused to cancel: " + e.detail()
          + " (" + e.code() + "); then: verigate cancel " + waiting.id());
    }
    show(canceled, (activation, out) -> out.println(ActivationText.refunded(activation)));
    return new OperatorFailure(Main.TEMP_FAILURE, noCode);
  }

  /**
   * The SDK's long poll runs on a thread of its own while this one moves the progress line each {@link #TICK}; the
   * activation as the wait left it: with a code, ended without one, or still waiting when {@code --timeout} ran out.
   */
  private Activation awaitCode(VerigateClient client, Activation bought) throws InterruptedException {
    // Progress is for a person: JSON output stays clean, and a pipe gets plain lines instead of '\r' rewrites.
    WaitProgress progress = json ? null : new WaitProgress(out(), System.console() != null, timeout);
    ExecutorService poller = Executors.newSingleThreadExecutor(task -> {
      Thread thread = new Thread(task, "verigate-await-code");
      thread.setDaemon(true);
      return thread;
    });
    long start = System.nanoTime();
    try {
      Future<Activation> arrival = poller.submit(() -> client.awaitCode(bought.id(), timeout));
      while (true) {
        if (progress != null) {
          progress.update(Duration.ofNanos(System.nanoTime() - start), bought.status());
        }
        try {
          Activation ended = arrival.get(TICK.toMillis(), TimeUnit.MILLISECONDS);
          if (progress != null) {
            progress.end(Duration.ofNanos(System.nanoTime() - start), ended.isWaiting() ? "no code" : ended.status());
          }
          return ended;
        } catch (TimeoutException stillWaiting) {
          // the next tick
        } catch (ExecutionException e) {
          throw e.getCause() instanceof RuntimeException failure ? failure : new IllegalStateException(e.getCause());
        }
      }
    } finally {
      poller.shutdownNow();
    }
  }

  /** {@code --timeout} in the node's own duration syntax: {@code 90s}, {@code 10m}, {@code 1h}, {@code PT10M}. */
  static final class DurationConverter implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      try {
        Duration duration = Config.parseDuration("--timeout", value);
        if (duration.isNegative() || duration.isZero()) {
          throw new TypeConversionException("--timeout must be longer than 0, got '" + value + "'");
        }
        return duration;
      } catch (ConfigException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }
}
