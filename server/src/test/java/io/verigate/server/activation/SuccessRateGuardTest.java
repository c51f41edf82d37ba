package io.verigate.server.activation;

import static org.assertj.core.api.Assertions.assertThat;

import io.verigate.server.activation.PurchaseHistory.Outcome;
import io.verigate.server.system.SuccessRateRule;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** When a failing success rate recovers on its own, as old outcomes leave the window. */
class SuccessRateGuardTest {
  /** 25 %, over an hour, judged from 4 outcomes on. */
  private static final SuccessRateRule RULE = new SuccessRateRule(2_500, Duration.ofHours(1), 4);
  private static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");
  private static final Instant NOW = T0.plus(Duration.ofMinutes(50));

  @Test
  void liftsWhenTooFewOutcomesAreLeftToJudge() {
    List<Outcome> failures = List.of(failure(0), failure(10), failure(20), failure(30));

    assertThat(RULE.fails(0, 4)).isTrue();
    assertThat(SuccessRateGuard.liftsAt(RULE, failures, NOW)).as("three left are too few")
        .isEqualTo(T0.plus(Duration.ofMinutes(60)));
  }

  @Test
  void liftsWhenWhatIsLeftPassesTheRate() {
    // 1 of 6 got a code (16 %); without the two oldest failures it is 1 of 4, exactly 25 %.
    List<Outcome> outcomes = List.of(failure(0), failure(5), failure(10), success(15), failure(20), failure(25));

    assertThat(SuccessRateGuard.liftsAt(RULE, outcomes, NOW)).isEqualTo(T0.plus(Duration.ofMinutes(65)));
  }

  @Test
  void aSuccessLeavingTheWindowMakesTheWaitLonger() {
    // 1 of 5: the success leaves first, and then 4 failures still fail the rule until one more leaves.
    List<Outcome> outcomes = List.of(success(0), failure(5), failure(10), failure(15), failure(20));

    assertThat(SuccessRateGuard.liftsAt(RULE, outcomes, NOW)).isEqualTo(T0.plus(Duration.ofMinutes(65)));
  }

  @Test
  void outcomesThatAlreadyPassLiftAtOnce() {
    List<Outcome> outcomes = List.of(success(0), failure(5), failure(10), failure(15));

    assertThat(SuccessRateGuard.liftsAt(RULE, outcomes, NOW)).isEqualTo(NOW);
    assertThat(SuccessRateGuard.liftsAt(RULE, List.of(), NOW)).isEqualTo(NOW);
  }

  private static Outcome failure(int minute) {
    return new Outcome(T0.plus(Duration.ofMinutes(minute)), false);
  }

  private static Outcome success(int minute) {
    return new Outcome(T0.plus(Duration.ofMinutes(minute)), true);
  }
}
