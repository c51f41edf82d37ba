package io.verigate.server.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Sealing source secrets with AES-256-GCM under the master key, and opening them under it or the previous one. */
class SecretBoxTest {
  private static final byte[] KEY = key('k');
  private static final byte[] OTHER = key('o');

  private static byte[] key(char fill) {
    byte[] key = new byte[SecretBox.KEY_BYTES];
    Arrays.fill(key, (byte) fill);
    return key;
  }

  @Test
  void sealsUnderAVersionAndKeyIdWithAFreshNonceEachTime() {
    SecretBox box = SecretBox.of(KEY, null);

    String once = box.seal("twilio-auth-token");
    String twice = box.seal("twilio-auth-token");

    assertThat(once).startsWith("v1:").doesNotContain("twilio-auth-token");
    assertThat(SecretBox.keyId(once)).hasSize(8).isEqualTo(SecretBox.keyId(twice));
    assertThat(once).isNotEqualTo(twice);
    assertThat(box.open(once)).isEqualTo("twilio-auth-token");
    assertThat(box.open(twice)).isEqualTo("twilio-auth-token");
    assertThat(box.open(box.seal("ключ 🔑"))).isEqualTo("ключ 🔑");
  }

  @Test
  void opensWhatThePreviousKeySealedAndSealsItAgainUnderTheCurrentOne() {
    String underOld = SecretBox.of(OTHER, null).seal("smpp-pw");
    SecretBox rotating = SecretBox.of(KEY, OTHER);

    assertThat(rotating.canOpen(underOld)).isTrue();
    assertThat(underOld).as("found by the start-up pass").doesNotStartWith(rotating.sealedPrefix());
    String resealed = rotating.seal(rotating.open(underOld));
    assertThat(resealed).as("left alone by the start-up pass").startsWith(rotating.sealedPrefix());
    assertThat(SecretBox.of(KEY, null).open(resealed)).isEqualTo("smpp-pw");
    assertThat(SecretBox.of(KEY, null).canOpen(underOld)).isFalse();
  }

  @Test
  void refusesAValueSealedUnderAnUnknownKeyOrAltered() {
    String sealed = SecretBox.of(OTHER, null).seal("signing-key");
    String mine = SecretBox.of(KEY, null).seal("signing-key");
    byte[] raw = Base64.getDecoder().decode(mine.substring(mine.lastIndexOf(':') + 1));
    raw[raw.length - 1] ^= 1;
    String altered = mine.substring(0, mine.lastIndexOf(':') + 1) + Base64.getEncoder().encodeToString(raw);

    assertThatThrownBy(() -> SecretBox.of(KEY, null).open(sealed)).hasMessageContaining("does not have");
    assertThatThrownBy(() -> SecretBox.of(KEY, null).open(altered)).hasMessageContaining("altered");
  }

  @Test
  void readsValuesStoredInClearAsTheyAre() {
    SecretBox box = SecretBox.of(KEY, null);

    assertThat(box.open("stored-before-sealing")).isEqualTo("stored-before-sealing");
    assertThat("stored-before-sealing").doesNotStartWith(box.sealedPrefix());
    assertThat(box.open(null)).isNull();
    assertThat(box.seal(null)).isNull();
    assertThat(box.seal("")).isEmpty();
  }

  @Test
  void aNodeWithoutAKeyRefusesToStoreASecretInClear() {
    SecretBox none = SecretBox.withoutKey();

    assertThat(none.open("stored-before-sealing")).isEqualTo("stored-before-sealing");
    assertThatThrownBy(() -> none.seal("new-secret")).isInstanceOf(Failure.class).hasMessageContaining("master-key");
  }

  @Test
  void masterKeysAreBase64Of32Bytes() {
    String good = Base64.getEncoder().encodeToString(KEY);

    assertThat(Config.defaults(Map.of("master-key", good)).masterKey()).isEqualTo(good);
    assertThatThrownBy(() -> Config.defaults(Map.of("master-key", "c2hvcnQ=")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("master-key").hasMessageContaining("32 bytes");
    assertThatThrownBy(() -> Config.defaults(Map.of("master-key-previous", "not base64!")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("master-key-previous");
  }
}
