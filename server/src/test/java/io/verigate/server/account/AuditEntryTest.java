package io.verigate.server.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** An audit entry refuses, where it is made, a detail that would put a secret into a log kept forever. */
class AuditEntryTest {
  private static final Actor ADMIN = Actor.admin("127.0.0.1");

  @ParameterizedTest
  @ValueSource(strings = {"signingKey", "agentKey", "key", "authToken", "token", "password", "signatureSecret", "apiKeySecret"})
  void refusesADetailNamedLikeASecret(String field) {
    assertThatThrownBy(() -> entry(Map.of(field, "x")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(field);
  }

  @Test
  void refusesOurOwnCredentialsWhateverTheFieldIsCalled() {
    String apiKey = ApiKeyFormat.generate(Mode.LIVE);

    assertThatThrownBy(() -> entry(Map.of("label", apiKey))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> entry(Map.of("changed", List.of("sims", "vgs_" + ApiKeyFormat.random(40)))))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> entry(Map.of("memo", "vga_" + ApiKeyFormat.random(40))))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void refusesAnythingButPlainValues() {
    assertThatThrownBy(() -> entry(Map.of("nested", Map.of("a", 1)))).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void takesPlainValuesAndTheNamesOfChangedSecrets() {
    assertThatCode(() -> entry(Map.of("keyId", "Ab3dEf9h", "customerId", 2L, "changed", List.of("signingKey"),
        "amount", "25.00", "live", true))).doesNotThrowAnyException();
  }

  @Test
  void namesACustomerActorByItsCustomerAndKeyId() {
    Actor actor = Actor.customer(new Principal(2, Mode.LIVE, "Ab3dEf9h", Scope.ALL), "192.0.2.7");

    assertThat(actor.name()).isEqualTo("customer:2/key:Ab3dEf9h");
    assertThat(actor.clientAddress()).isEqualTo("192.0.2.7");
  }

  private static AuditEntry entry(Map<String, ?> detail) {
    return new AuditEntry(ADMIN, AuditAction.SOURCE_SECRET_CHANGED, "source:gw1", detail);
  }
}
