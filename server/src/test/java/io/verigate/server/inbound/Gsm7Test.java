package io.verigate.server.inbound;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class Gsm7Test {
  @Test
  void decodesTheBasicTableOneSeptetPerOctet() {
    assertThat(Gsm7.decode(Gsm7Encoding.encode("Your code: 4821, @ £$ é_ Äß"))).isEqualTo("Your code: 4821, @ £$ é_ Äß");
    assertThat(Gsm7.decode(new byte[] {0x10, 0x12, 0x13, 0x24, 0x40, 0x60, 0x7F})).isEqualTo("ΔΦΓ¤¡¿à");
  }

  @Test
  void readsAnEscapeWithTheCharacterAfterItFromTheExtensionTable() {
    assertThat(Gsm7.decode(Gsm7Encoding.encode("{1234} [ok] ~^| \\ 5€"))).isEqualTo("{1234} [ok] ~^| \\ 5€");
    assertThat(Gsm7.decode(new byte[] {0x1B, 0x0A})).isEqualTo("\f");
  }

  @Test
  void readsAnEscapeToACodeTheExtensionTableLacksAsTheBasicCharacter() {
    assertThat(Gsm7.decode(new byte[] {0x1B, 0x41, 0x1B, 0x31})).isEqualTo("A1");
  }

  @Test
  void decodesAnEscapeThatEndsTheTextAsASpace() {
    assertThat(Gsm7.decode(new byte[] {0x4F, 0x4B, 0x1B})).isEqualTo("OK\u00A0");
  }

  @Test
  void decodesEverySeptetToADistinctCharacterAndIgnoresTheHighBit() {
    Set<String> characters = new HashSet<>();
    for (int septet = 0; septet < 128; septet++) {
      String decoded = Gsm7.decode(new byte[] {(byte) septet});
      assertThat(decoded).hasSize(1);
      assertThat(Gsm7.decode(new byte[] {(byte) (septet | 0x80)})).isEqualTo(decoded);
      characters.add(decoded);
    }
    assertThat(characters).hasSize(128);
  }
}
