package io.verigate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class WaitProgressTest {
  private final StringWriter text = new StringWriter();
  private final PrintWriter out = new PrintWriter(text);

  @Test
  void onATerminalOneLineIsRewrittenInPlaceAndTheOutcomeEndsIt() {
    WaitProgress progress = new WaitProgress(out, true, Duration.ofMinutes(10));

    progress.update(Duration.ZERO, "WAITING");
    progress.update(Duration.ofSeconds(1), "WAITING");
    progress.end(Duration.ofMillis(1500), "RECEIVED");

    String first = "waiting for the code: 0:00 elapsed, WAITING, 10:00 left";
    String second = "waiting for the code: 0:01 elapsed, WAITING, 9:59 left";
    String outcome = "RECEIVED after 0:01";
    // each line blanks out what is left of the longer one before it
    assertThat(text.toString()).isEqualTo("\r" + first + "\r" + second + " " + "\r" + outcome
        + " ".repeat(second.length() - outcome.length()) + System.lineSeparator());
  }

  @Test
  void elsewhereALineIsPrintedAtTheStartOnAChangeOfStatusAndEveryTenSeconds() {
    WaitProgress progress = new WaitProgress(out, false, Duration.ofMinutes(1));

    for (int second = 0; second <= 21; second++) {
      progress.update(Duration.ofSeconds(second), "WAITING");
    }
    progress.update(Duration.ofMillis(21_500), "RECEIVED");

    assertThat(text.toString().lines()).containsExactly(
        "waiting for the code: 0:00 elapsed, WAITING, 1:00 left",
        "waiting for the code: 0:10 elapsed, WAITING, 0:50 left",
        "waiting for the code: 0:20 elapsed, WAITING, 0:40 left",
        "waiting for the code: 0:21 elapsed, RECEIVED, 0:39 left");
  }

  @Test
  void clockShowsMinutesAndSecondsAndHoursFromAnHourOn() {
    assertThat(WaitProgress.clock(Duration.ofSeconds(425))).isEqualTo("7:05");
    assertThat(WaitProgress.clock(Duration.ofSeconds(3723))).isEqualTo("1:02:03");
  }
}
