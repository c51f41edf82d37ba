package io.verigate.server.activation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.verigate.server.account.Mode;
import io.verigate.server.system.ErrorCode;
import io.verigate.server.system.Failure;
import io.verigate.server.wallet.Money;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class ActivationLifecycleTest {
  private static final Instant CREATED = Instant.parse("2030-01-01T10:00:00Z");
  private static final Duration LIFETIME = Duration.ofMinutes(20);
  private static final Duration GUARD = Duration.ofMinutes(2);
  private static final Instant AFTER_GUARD = CREATED.plus(GUARD).plusSeconds(1);
  private static final Instant RESEND = CREATED.plusSeconds(60);
  private static final Instant END = CREATED.plus(LIFETIME);
  private static final Instant JUST_AFTER_END = END.plusMillis(1);

  private static Activation waiting() {
    return new Activation(100001, 7, Mode.LIVE, "wa", "US", "any", 1, "+14155550101", Money.parse("0.50"), 9,
        ActivationStatus.WAITING, null, null, null, null, CREATED, CREATED.plus(LIFETIME), null, 0, null);
  }

  private static Activation received(String code) {
    return waiting().receive(code, "Your WhatsApp code is " + code, "WhatsApp", CREATED.plusSeconds(30));
  }

  @Test
  void everyStateAClientCanTellApartHasAVersionOfItsOwn() {
    Activation waiting = waiting();
    Activation greeted = waiting.receive(null, "Welcome!", "WhatsApp", CREATED.plusSeconds(5));
    Activation received = greeted.receive("111111", "code 111111", "WhatsApp", CREATED.plusSeconds(30));
    Activation resent = received.requestAnotherCode(RESEND);
    // The service sends the same code again after the resend: same text, later.
    Activation again = resent.receive("111111", "code 111111", "WhatsApp", CREATED.plusSeconds(90));
    Activation finished = again.finish(AFTER_GUARD);

    List<String> versions = List.of(waiting, greeted, received, resent, again, finished).stream()
        .map(Activation::version).toList();

    assertThat(versions).doesNotHaveDuplicates();
  }

  @Test
  void aTransitionThatChangesNothingKeepsTheVersion() {
    Activation received = received("111111");
    Activation finished = received.finish(AFTER_GUARD);

    assertThat(received.receive(null, received.smsText(), received.smsFrom(), CREATED.plusSeconds(40)).version())
        .as("the same text again").isEqualTo(received.version());
    assertThat(finished.finish(AFTER_GUARD.plusSeconds(1)).version()).as("finished again").isEqualTo(finished.version());
  }

  @Test
  void theVersionTellsNothingOfTheCodeOrText() {
    Activation one = received("111111");
    Activation other = received("982734");

    assertThat(one.version()).isEqualTo(other.version());
  }

  @Test
  void receivingACodeMakesTheActivationReceived() {
    Activation a = received("123456");

    assertThat(a.status()).isEqualTo(ActivationStatus.RECEIVED);
    assertThat(a.code()).isEqualTo("123456");
    assertThat(a.smsText()).isEqualTo("Your WhatsApp code is 123456");
    assertThat(a.smsFrom()).isEqualTo("WhatsApp");
    assertThat(a.codeAt()).isEqualTo(CREATED.plusSeconds(30));
  }

  @Test
  void textWithoutACodeIsShownButLeavesTheActivationWaiting() {
    Activation a = waiting().receive(null, "Welcome!", "WhatsApp", CREATED.plusSeconds(5));

    assertThat(a.status()).isEqualTo(ActivationStatus.WAITING);
    assertThat(a.hasCode()).isFalse();
    assertThat(a.smsText()).isEqualTo("Welcome!");
  }

  @Test
  void resendWaitsForAnotherCodeKeepingThePreviousOne() {
    Activation a = received("111111").requestAnotherCode(RESEND);

    assertThat(a.status()).isEqualTo(ActivationStatus.WAITING);
    assertThat(a.code()).isEqualTo("111111");

    Activation next = a.receive("222222", "code 222222", "WhatsApp", CREATED.plusSeconds(90));
    assertThat(next.status()).isEqualTo(ActivationStatus.RECEIVED);
    assertThat(next.code()).isEqualTo("222222");
  }

  @Test
  void finishesOnlyOnceACodeArrived() {
    assertThatThrownBy(() -> waiting().finish(AFTER_GUARD))
        .isInstanceOfSatisfying(Failure.class, f -> assertThat(f.code()).isEqualTo(ErrorCode.INVALID_STATE));

    Activation finished = received("123456").finish(AFTER_GUARD);
    assertThat(finished.status()).isEqualTo(ActivationStatus.FINISHED);
    assertThat(finished.endedAt()).isEqualTo(AFTER_GUARD);
  }

  @Test
  void finishingAfterAResendStillCountsThePreviousCode() {
    Activation finished = received("123456").requestAnotherCode(RESEND).finish(AFTER_GUARD);

    assertThat(finished.status()).isEqualTo(ActivationStatus.FINISHED);
  }

  @Test
  void refusesCancelOnceACodeArrived() {
    assertThatThrownBy(() -> received("123456").cancel(AFTER_GUARD, GUARD))
        .isInstanceOfSatisfying(Failure.class, f -> assertThat(f.code()).isEqualTo(ErrorCode.INVALID_STATE));
  }

  @Test
  void refusesCancelDuringTheEarlyCancelGuard() {
    Instant lastGuardedMoment = CREATED.plus(GUARD).minusMillis(1);

    assertThatThrownBy(() -> waiting().cancel(lastGuardedMoment, GUARD))
        .isInstanceOfSatisfying(Failure.class, f -> assertThat(f.code()).isEqualTo(ErrorCode.EARLY_CANCEL_DENIED));
  }

  @Test
  void cancelsFromTheEndOfTheEarlyCancelGuard() {
    Activation canceled = waiting().cancel(CREATED.plus(GUARD), GUARD);

    assertThat(canceled.status()).isEqualTo(ActivationStatus.CANCELED);
    assertThat(canceled.endedAt()).isEqualTo(CREATED.plus(GUARD));
  }

  @Test
  void reportsBannedOnlyWithoutACode() {
    assertThat(waiting().reportBanned(CREATED.plusSeconds(10)).status()).isEqualTo(ActivationStatus.BANNED);

    assertThatThrownBy(() -> received("123456").reportBanned(AFTER_GUARD))
        .isInstanceOfSatisfying(Failure.class, f -> assertThat(f.code()).isEqualTo(ErrorCode.INVALID_STATE));
  }

  @Test
  void repeatingTheOutcomeAnswersTheActivationAsItIs() {
    Activation finished = received("123456").finish(AFTER_GUARD);
    Activation canceled = waiting().cancel(AFTER_GUARD, GUARD);
    Activation finishedByLifetime = received("123456").endLifetime(END);

    assertThat(finished.finish(AFTER_GUARD.plusSeconds(5))).isEqualTo(finished);
    assertThat(finishedByLifetime.finish(JUST_AFTER_END)).isEqualTo(finishedByLifetime);
    assertThat(canceled.cancel(AFTER_GUARD.plusSeconds(5), GUARD)).isEqualTo(canceled);
  }

  @Test
  void cancellingAnExpiredActivationAnswersItAsItIsSinceThePriceIsBackEitherWay() {
    Activation expired = waiting().endLifetime(END);

    assertThat(expired.cancel(END.plusSeconds(30), GUARD)).isEqualTo(expired);
  }

  @Test
  void terminalStatesRefuseEveryOtherAction() {
    Map<String, UnaryOperator<Activation>> actions = Map.of(
        "finish", a -> a.finish(AFTER_GUARD),
        "cancel", a -> a.cancel(AFTER_GUARD, GUARD),
        "report banned", a -> a.reportBanned(AFTER_GUARD),
        "resend", a -> a.requestAnotherCode(AFTER_GUARD));
    Map<ActivationStatus, Set<String>> sameOutcome = Map.of(
        ActivationStatus.FINISHED, Set.of("finish"),
        ActivationStatus.CANCELED, Set.of("cancel"),
        ActivationStatus.EXPIRED, Set.of("cancel"));

    for (Activation terminal : terminalActivations()) {
      actions.forEach((name, action) -> {
        if (sameOutcome.getOrDefault(terminal.status(), Set.of()).contains(name)) {
          return;
        }
        assertThatThrownBy(() -> action.apply(terminal))
            .as("%s on a %s activation", name, terminal.status())
            .isInstanceOfSatisfying(Failure.class, f -> assertThat(f.code()).isEqualTo(ErrorCode.INVALID_STATE));
      });
    }
  }

  @Test
  void aFinishAfterTheLifetimeOfAnActivationWithACodeGetsTheLifetimesSuccess() {
    Activation finished = received("123456").finish(JUST_AFTER_END);

    assertThat(finished.status()).isEqualTo(ActivationStatus.FINISHED);
    assertThat(finished.endedAt()).isEqualTo(END);
  }

  @Test
  void aFinishAfterTheLifetimeOfAWaitingActivationIsRefusedAsExpired() {
    assertThatThrownBy(() -> waiting().finish(JUST_AFTER_END))
        .isInstanceOfSatisfying(Failure.class, f -> {
          assertThat(f.code()).isEqualTo(ErrorCode.INVALID_STATE);
          assertThat(f.getMessage()).contains("EXPIRED");
        });
  }

  @Test
  void aCancelAfterTheLifetimeOfAWaitingActivationGetsTheExpiry() {
    Activation ended = waiting().cancel(JUST_AFTER_END, GUARD);

    assertThat(ended.status()).isEqualTo(ActivationStatus.EXPIRED);
    assertThat(ended.endedAt()).isEqualTo(END);
  }

  @Test
  void noOtherActionChangesTheOutcomeOnceTheLifetimeIsOver() {
    List<UnaryOperator<Activation>> actions = List.of(
        a -> a.cancel(JUST_AFTER_END, GUARD),
        a -> a.reportBanned(JUST_AFTER_END),
        a -> a.requestAnotherCode(JUST_AFTER_END));

    for (UnaryOperator<Activation> action : actions) {
      assertThatThrownBy(() -> action.apply(received("123456")))
          .isInstanceOfSatisfying(Failure.class, f -> assertThat(f.getMessage()).contains("FINISHED"));
    }
    assertThatThrownBy(() -> waiting().reportBanned(JUST_AFTER_END))
        .isInstanceOfSatisfying(Failure.class, f -> assertThat(f.getMessage()).contains("EXPIRED"));
    assertThatThrownBy(() -> waiting().requestAnotherCode(END))
        .isInstanceOfSatisfying(Failure.class, f -> assertThat(f.getMessage()).contains("EXPIRED"));
  }

  @Test
  void standsAsItIsUntilItsLifetimeEnds() {
    Activation waiting = waiting();

    assertThat(waiting.asOf(END.minusMillis(1))).isSameAs(waiting);
    assertThat(waiting.asOf(END).status()).isEqualTo(ActivationStatus.EXPIRED);
  }

  @Test
  void lateMessagesAfterTheEndChangeNothing() {
    for (Activation terminal : terminalActivations()) {
      Activation after = terminal.receive("999999", "late code 999999", "WhatsApp", CREATED.plus(Duration.ofHours(1)));

      assertThat(after).as("a late message on a %s activation", terminal.status()).isEqualTo(terminal);
    }
  }

  @Test
  void lifetimeEndFinishesAnActivationWithACode() {
    Instant end = CREATED.plus(LIFETIME);

    Activation ended = received("123456").endLifetime(end);

    assertThat(ended.status()).isEqualTo(ActivationStatus.FINISHED);
    assertThat(ended.code()).isEqualTo("123456");
    assertThat(ended.endedAt()).isEqualTo(end);
  }

  @Test
  void lifetimeEndExpiresAnActivationWithoutACode() {
    Activation ended = waiting().endLifetime(CREATED.plus(LIFETIME));

    assertThat(ended.status()).isEqualTo(ActivationStatus.EXPIRED);
  }

  @Test
  void aLifetimeEndsAtItsExpiryHoweverLateItIsSettled() {
    Activation ended = waiting().endLifetime(END.plusSeconds(69));

    assertThat(ended.endedAt()).isEqualTo(END);
  }

  @Test
  void isDueOnlyWhileLiveAndFromItsExpiry() {
    Instant end = CREATED.plus(LIFETIME);

    assertThat(waiting().isDue(end.minusMillis(1))).isFalse();
    assertThat(waiting().isDue(end)).isTrue();
    assertThat(received("123456").finish(AFTER_GUARD).isDue(end)).isFalse();
    assertThatThrownBy(() -> waiting().endLifetime(end.minusMillis(1))).isInstanceOf(IllegalStateException.class);
  }

  private static List<Activation> terminalActivations() {
    Instant end = CREATED.plus(LIFETIME);
    return List.of(
        received("123456").finish(AFTER_GUARD),
        waiting().cancel(AFTER_GUARD, GUARD),
        waiting().reportBanned(AFTER_GUARD),
        waiting().endLifetime(end),
        received("123456").endLifetime(end));
  }
}
