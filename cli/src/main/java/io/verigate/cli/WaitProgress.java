package io.verigate.cli;

import java.io.PrintWriter;
import java.time.Duration;

/**
 * The live line under a bought number while its code is awaited: elapsed time, status and time left. On a terminal
 * one line is rewritten in place with {@code \r} every tick; elsewhere (a log, a pipe) a plain line is printed when
 * the status changes and every {@link #PLAIN_LINE_EVERY}, so a ten-minute wait does not fill a log with 600 lines.
 */
final class WaitProgress {
  static final Duration PLAIN_LINE_EVERY = Duration.ofSeconds(10);

  private final PrintWriter out;
  private final boolean terminal;
  private final Duration timeout;
  private String lastStatus;
  private Duration lastPrinted;
  private int lastWidth;

  WaitProgress(PrintWriter out, boolean terminal, Duration timeout) {
    this.out = out;
    this.terminal = terminal;
    this.timeout = timeout;
  }

  /** The state {@code elapsed} after the wait began. */
  void update(Duration elapsed, String status) {
    String line = "waiting for the code: " + clock(elapsed) + " elapsed, " + status + ", " + clock(left(elapsed))
        + " left";
    if (terminal) {
      // padded to the previous line's width: a shorter line must not leave the end of the longer one behind
      out.print("\r" + line + " ".repeat(Math.max(0, lastWidth - line.length())));
      lastWidth = line.length();
    } else if (!status.equals(lastStatus) || elapsed.minus(lastPrinted).compareTo(PLAIN_LINE_EVERY) >= 0) {
      out.println(line);
      lastPrinted = elapsed;
    }
    lastStatus = status;
    out.flush();
  }

  /** The wait is over: {@code status} after {@code elapsed}, on a line of its own. */
  void end(Duration elapsed, String status) {
    String line = status + " after " + clock(elapsed);
    if (terminal) {
      out.println("\r" + line + " ".repeat(Math.max(0, lastWidth - line.length())));
    } else {
      out.println(line);
    }
    out.flush();
  }

  /** The time left, in whole seconds rounded up: "0:00 left" only when nothing is. */
  private Duration left(Duration elapsed) {
    long millis = Math.max(0, timeout.minus(elapsed).toMillis());
    return Duration.ofSeconds((millis + 999) / 1000);
  }

  /** {@code 7:05}, or {@code 1:02:03} from an hour on. */
  static String clock(Duration d) {
    long s = d.toSeconds();
    return s < 3600 ? String.format("%d:%02d", s / 60, s % 60)
        : String.format("%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60);
  }
}
