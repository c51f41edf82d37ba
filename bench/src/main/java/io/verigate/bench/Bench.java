package io.verigate.bench;

import ch.qos.logback.classic.Level;
import java.util.Arrays;
import org.slf4j.LoggerFactory;

/**
 * The benchmark jar's entry point: {@code --run inbound} (the default, {@link InboundBenchmark}), {@code --run
 * purchases} ({@link PurchaseBenchmark}) or {@code --run events} ({@link EventsBenchmark}), with the options
 * {@link BenchOptions} lists.
 */
public final class Bench {
  private Bench() {}

  public static void main(String[] args) throws Exception {
    if (Arrays.asList(args).contains("--help")) {
      System.out.println(BenchOptions.usage());
      return;
    }
    BenchOptions options;
    try {
      options = BenchOptions.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage() + "\n" + BenchOptions.usage());
      System.exit(2);
      return;
    }
    // One INFO line per purchase and per message would measure the terminal as much as the node.
    ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).setLevel(Level.WARN);
    boolean passed = switch (options.run()) {
      case "purchases" -> new PurchaseBenchmark(options).run();
      case "events" -> new EventsBenchmark(options).run();
      default -> new InboundBenchmark(options).run();
    };
    // Library threads (jSMPP's among them) may outlive the node; the figures are out, so the process ends here.
    System.exit(passed ? 0 : 1);
  }
}
