package io.verigate.server.account;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class ApiKeyFormatTest {
  private static final String ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

  @ParameterizedTest
  @EnumSource(Mode.class)
  void generatedKeysParseWithTheModeOfTheirPrefix(Mode mode) {
    String prefix = "vg_" + mode.sqlName() + "_";
    String key = ApiKeyFormat.generate(mode);

    assertThat(key).startsWith(prefix).hasSize(prefix.length() + 8 + 32 + 6);
    ApiKeyFormat.Parsed parsed = ApiKeyFormat.parse(key).orElseThrow();
    assertThat(parsed.mode()).isEqualTo(mode);
    assertThat(parsed.keyId()).isEqualTo(key.substring(prefix.length(), prefix.length() + 8));
  }

  @Test
  void theChecksumCatchesEverySingleChangedCharacter() {
    String key = ApiKeyFormat.generate(Mode.LIVE);
    int bodyStart = "vg_live_".length();

    for (int i = bodyStart; i < key.length(); i++) {
      char original = key.charAt(i);
      char replacement = ALPHABET.charAt((ALPHABET.indexOf(original) + 1) % ALPHABET.length());
      String mistyped = key.substring(0, i) + replacement + key.substring(i + 1);

      assertThat(ApiKeyFormat.parse(mistyped)).as("key with position %d changed", i).isEmpty();
    }
  }

  @Test
  void switchingThePrefixModeInvalidatesTheKey() {
    String live = ApiKeyFormat.generate(Mode.LIVE);

    assertThat(ApiKeyFormat.parse(live.replace("vg_live_", "vg_test_"))).isEmpty();
  }

  @ParameterizedTest
  @NullAndEmptySource
  @ValueSource(strings = {"vg_live_", "vg_prod_ABCDEFGH0123456789012345678901234567890123ABCDEF", "sk_live_abc",
      "not a key at all"})
  void refusesMalformedKeys(String presented) {
    assertThat(ApiKeyFormat.parse(presented)).isEmpty();
  }

  @Test
  void refusesAKeyWithExtraCharacters() {
    String key = ApiKeyFormat.generate(Mode.TEST);

    assertThat(ApiKeyFormat.parse(key + "x")).isEmpty();
    assertThat(ApiKeyFormat.parse(" " + key)).isEmpty();
  }

  @Test
  void randomTokensAreDistinctAndBase62() {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 10_000; i++) {
      String token = ApiKeyFormat.random(16);
      assertThat(token).matches("[0-9A-Za-z]{16}");
      seen.add(token);
    }

    assertThat(seen).hasSize(10_000);
  }

  @Test
  void generatedKeysAreDistinct() {
    Set<String> keys = new HashSet<>();
    for (int i = 0; i < 1000; i++) {
      keys.add(ApiKeyFormat.generate(Mode.LIVE));
    }

    assertThat(keys).hasSize(1000);
  }

  @Test
  void hashesAreStableHexSha256() {
    assertThat(ApiKeyFormat.sha256("abc"))
        .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  }
}
