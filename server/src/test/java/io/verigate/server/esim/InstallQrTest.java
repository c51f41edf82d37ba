package io.verigate.server.esim;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The install QR code is a PNG that ZXing's own reader decodes back to exactly the activation code. */
class InstallQrTest {

  @Test
  void thePngDecodesBackToTheExactActivationCode() throws Exception {
    ActivationCode code = ActivationCode.of("RSP-3088.IDEMIA.IO", "YVTGM-8DKLP-Q3C7A-2MWZB");

    byte[] png = InstallQr.png(code);

    assertThat(png).startsWith(0x89, 'P', 'N', 'G');
    assertThat(InstallQrDecoder.decode(png)).isEqualTo("LPA:1$RSP-3088.IDEMIA.IO$YVTGM-8DKLP-Q3C7A-2MWZB");
  }
}
