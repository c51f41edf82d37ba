package io.verigate.server.esim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.verigate.server.system.ErrorCode;
import io.verigate.server.system.Failure;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The GSMA SGP.22 §4.1 activation-code format, held to the test vectors of onomondo-ipa's activation_code_test.c:
 * the valid forms parse into their fields, the invalid ones are refused, and what we hand out is the minimal form.
 */
class ActivationCodeTest {
  private static final String SMDP = "SMDP.EXAMPLE.COM";
  private static final String MATCHING_ID = "04386-AGYFT-A74Y8-3F815";

  @Test
  void parsesTheBareFormIntoAddressAndMatchingId() {
    ActivationCode code = ActivationCode.parse("1$SMDP.EXAMPLE.COM$04386-AGYFT-A74Y8-3F815");

    assertThat(code.smdpAddress()).isEqualTo(SMDP);
    assertThat(code.matchingId()).isEqualTo(MATCHING_ID);
    assertThat(code.smdpOid()).isEmpty();
    assertThat(code.confirmationCodeRequired()).isFalse();
  }

  @Test
  void parsesAnEmptyOidFollowedByTheConfirmationCodeFlag() {
    ActivationCode code = ActivationCode.parse("1$SMDP.EXAMPLE.COM$04386-AGYFT-A74Y8-3F815$$1");

    assertThat(code.matchingId()).isEqualTo(MATCHING_ID);
    assertThat(code.smdpOid()).isEmpty();
    assertThat(code.confirmationCodeRequired()).isTrue();
  }

  @Test
  void parsesAnOidAndTheFlag() {
    ActivationCode code = ActivationCode.parse("1$SMDP.EXAMPLE.COM$04386-AGYFT-A74Y8-3F815$1.3.6.1.4.1.31746$1");

    assertThat(code.smdpOid()).isEqualTo("1.3.6.1.4.1.31746");
    assertThat(code.confirmationCodeRequired()).isTrue();
  }

  @Test
  void parsesAnEmptyMatchingIdFollowedByAnOid() {
    ActivationCode code = ActivationCode.parse("1$SMDP.EXAMPLE.COM$$1.3.6.1.4.1.31746");

    assertThat(code.smdpAddress()).isEqualTo(SMDP);
    assertThat(code.matchingId()).isEmpty();
    assertThat(code.smdpOid()).isEqualTo("1.3.6.1.4.1.31746");
    assertThat(code.confirmationCodeRequired()).isFalse();
  }

  @Test
  void parsesTheQrFormWithItsLpaPrefix() {
    ActivationCode code = ActivationCode.parse("LPA:1$SMDP.EXAMPLE.COM$04386-AGYFT-A74Y8-3F815");

    assertThat(code.smdpAddress()).isEqualTo(SMDP);
    assertThat(code.matchingId()).isEqualTo(MATCHING_ID);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "1$", "LPA:1$", "1$SMDP.EXAMPLE.COM", "LPA:1$SMDP.EXAMPLE.COM",
      "2$SMDP.EXAMPLE.COM$04386-AGYFT-A74Y8-3F815", "1$$04386-AGYFT-A74Y8-3F815",
      "1$SMDP.EXAMPLE.COM$04386-AGYFT-A74Y8-3F815$$0", "1$SMDP.EXAMPLE.COM$04386-AGYFT-A74Y8-3F815$$1$extra",
      "1$not a host$04386", "1$SMDP.EXAMPLE.COM$04386 AGYFT", "1$SMDP.EXAMPLE.COM$04386$1.3.x"})
  void refusesMalformedCodes(String text) {
    assertThatThrownBy(() -> ActivationCode.parse(text)).isInstanceOf(Failure.class)
        .extracting(e -> ((Failure) e).code()).isEqualTo(ErrorCode.BAD_REQUEST);
  }

  @Test
  void handsOutTheMinimalFormWithoutOidOrFlag() {
    ActivationCode parsed = ActivationCode.parse("1$SMDP.EXAMPLE.COM$04386-AGYFT-A74Y8-3F815$1.3.6.1.4.1.31746$1");

    assertThat(parsed.text()).isEqualTo("LPA:1$SMDP.EXAMPLE.COM$04386-AGYFT-A74Y8-3F815");
    assertThat(ActivationCode.of(SMDP, MATCHING_ID).text()).isEqualTo("LPA:1$SMDP.EXAMPLE.COM$04386-AGYFT-A74Y8-3F815");
    assertThat(ActivationCode.parse(ActivationCode.of(SMDP, MATCHING_ID).text())).isEqualTo(ActivationCode.of(SMDP, MATCHING_ID));
  }

  @Test
  void aProfileWeSellNeedsAMatchingId() {
    assertThatThrownBy(() -> ActivationCode.of(SMDP, "")).isInstanceOf(Failure.class);
  }

  @Test
  void checksIccidsWithTheLuhnDigit() {
    assertThat(Iccid.valid("8901 4103 2111 1851 0720")).isEqualTo("89014103211118510720");
    assertThat(Iccid.valid("8901410321111851072")).isEqualTo("8901410321111851072");
    assertThatThrownBy(() -> Iccid.valid("89014103211118510721")).isInstanceOf(Failure.class)
        .hasMessageContaining("Luhn");
    assertThatThrownBy(() -> Iccid.valid("12014103211118510720")).isInstanceOf(Failure.class)
        .hasMessageContaining("starting with 89");
    assertThatThrownBy(() -> Iccid.valid("8901410321")).isInstanceOf(Failure.class);
    assertThatThrownBy(() -> Iccid.valid(null)).isInstanceOf(Failure.class);
    String payload = "890141032111185107";
    assertThat(Iccid.luhnValid(payload + Iccid.checkDigit(payload))).isTrue();
  }
}
