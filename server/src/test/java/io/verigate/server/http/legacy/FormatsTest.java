package io.verigate.server.http.legacy;

import static org.assertj.core.api.Assertions.assertThat;

import io.verigate.server.account.Mode;
import io.verigate.server.activation.Activation;
import io.verigate.server.activation.ActivationStatus;
import io.verigate.server.wallet.Money;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The getStatus tokens for every state an activation can be in, and the values sms-activate clients parse. */
class FormatsTest {
  private static final Instant AT = Instant.parse("2026-03-04T05:06:07Z");

  private static Activation activation(ActivationStatus status, String code) {
    return new Activation(7, 1, Mode.LIVE, "wa", "US", "any", 3, "+12015550123", Money.parse("0.50"), 9, status, code,
        code == null ? null : "code " + code, code == null ? null : "WhatsApp", code == null ? null : AT, AT,
        AT.plusSeconds(1200), null, 0, null);
  }

  @ParameterizedTest
  @CsvSource(nullValues = "null", value = {
      "WAITING,   null,   STATUS_WAIT_CODE,         STATUS_WAIT_CODE",
      "WAITING,   123456, STATUS_WAIT_RETRY:123456, STATUS_WAIT_RETRY",
      "RECEIVED,  123456, STATUS_OK:123456,         STATUS_OK",
      "FINISHED,  123456, STATUS_OK:123456,         STATUS_OK",
      "CANCELED,  null,   STATUS_CANCEL,            STATUS_CANCEL",
      "EXPIRED,   null,   STATUS_CANCEL,            STATUS_CANCEL",
      "BANNED,    null,   STATUS_CANCEL,            STATUS_CANCEL"})
  void mapsEveryActivationStateToItsGetStatusToken(ActivationStatus status, String code, String token, String name) {
    assertThat(Formats.statusToken(activation(status, code))).isEqualTo(token);
    assertThat(Formats.statusName(activation(status, code))).isEqualTo(name);
  }

  @Test
  void neverPutsAColonInACodeBecauseClientsSplitTheAnswerOnIt() {
    assertThat(Formats.statusToken(activation(ActivationStatus.RECEIVED, "12:34"))).isEqualTo("STATUS_OK:1234");
    assertThat(Formats.statusToken(activation(ActivationStatus.WAITING, "12:34"))).isEqualTo("STATUS_WAIT_RETRY:1234");
  }

  @Test
  void writesPhonesWithoutPlusAndTimesInSmsActivatesFormat() {
    assertThat(Formats.phone(activation(ActivationStatus.WAITING, null))).isEqualTo("12015550123");
    assertThat(Formats.time(AT)).isEqualTo("2026-03-04 05:06:07");
    assertThat(Formats.amount(Money.parse("0.035"))).hasToString("0.035");
    assertThat(Formats.amount(Money.parse("2"))).hasToString("2.00");
  }
}
