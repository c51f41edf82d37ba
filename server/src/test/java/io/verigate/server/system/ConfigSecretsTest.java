package io.verigate.server.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Secrets come from a flag, the environment or the config file, each either as the value or as a file holding it. */
class ConfigSecretsTest {
  @TempDir
  Path dir;

  private Path secretFile(String name, String content) throws IOException {
    Path file = dir.resolve(name);
    Files.writeString(file, content);
    return file;
  }

  @Test
  void aSecretIsReadFromTheFileAFlagNamesWithoutTheNewlineEditorsAdd() throws IOException {
    Path token = secretFile("admin-token", "  s3cret-token\n");

    Config config = Config.load(Map.of("admin-token-file", token.toString()), Map.of());

    assertThat(config.adminToken()).isEqualTo("s3cret-token");
  }

  @Test
  void everySecretHasAnEnvironmentVariableForItsValueAndOneForItsFile() throws IOException {
    Path password = secretFile("db-password", "from-file\n");
    String masterKey = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";
    Path masterKeyFile = secretFile("master.key", masterKey + "\n");

    Config config = Config.load(Map.of(), Map.of(
        "VERIGATE_ADMIN_TOKEN", "from-env",
        "VERIGATE_DB_PASSWORD_FILE", password.toString(),
        "VERIGATE_MASTER_KEY_FILE", masterKeyFile.toString()));

    assertThat(config.adminToken()).isEqualTo("from-env");
    assertThat(config.databasePassword()).isEqualTo("from-file");
    assertThat(config.masterKey()).isEqualTo(masterKey);
  }

  @Test
  void theFirstPlaceThatGivesASecretWinsInEitherForm() throws IOException {
    Path flagFile = secretFile("flag-token", "from-flag-file");
    Path envFile = secretFile("env-token", "from-env-file");
    Path config = secretFile("verigate.properties", "admin-token=from-config-file\ndb-password-file="
        + secretFile("pw", "from-a-file-the-config-names") + "\n");

    Config flagFileOverEnv = Config.load(Map.of("admin-token-file", flagFile.toString()),
        Map.of("VERIGATE_ADMIN_TOKEN", "from-env", "VERIGATE_CONFIG", config.toString()));
    Config envFileOverConfig = Config.load(Map.of(),
        Map.of("VERIGATE_ADMIN_TOKEN_FILE", envFile.toString(), "VERIGATE_CONFIG", config.toString()));
    Config flagOverEnvFile = Config.load(Map.of("admin-token", "from-flag"),
        Map.of("VERIGATE_ADMIN_TOKEN_FILE", envFile.toString()));
    Config configOnly = Config.load(Map.of("config", config.toString()), Map.of());

    assertThat(flagFileOverEnv.adminToken()).isEqualTo("from-flag-file");
    assertThat(envFileOverConfig.adminToken()).isEqualTo("from-env-file");
    assertThat(flagOverEnvFile.adminToken()).isEqualTo("from-flag");
    assertThat(configOnly.adminToken()).isEqualTo("from-config-file");
    assertThat(configOnly.databasePassword()).isEqualTo("from-a-file-the-config-names");
  }

  @Test
  void bothFormsInOnePlaceAreRefusedNamingThem() throws IOException {
    Path token = secretFile("token", "x");

    assertThatThrownBy(() -> Config.load(Map.of("admin-token", "y", "admin-token-file", token.toString()), Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessage("--admin-token and --admin-token-file are both set in the command line; give the secret one way");
    assertThatThrownBy(() -> Config.load(Map.of(),
        Map.of("VERIGATE_DB_PASSWORD", "y", "VERIGATE_DB_PASSWORD_FILE", token.toString())))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("VERIGATE_DB_PASSWORD and VERIGATE_DB_PASSWORD_FILE");
  }

  @Test
  void aMissingOrEmptySecretFileIsRefusedNamingTheKeyButNotTheSecret() throws IOException {
    Path missing = dir.resolve("absent");
    Path empty = secretFile("empty", "\n");

    assertThatThrownBy(() -> Config.load(Map.of("master-key-file", missing.toString()), Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessage("master-key-file: cannot read " + missing + " (NoSuchFileException)");
    assertThatThrownBy(() -> Config.load(Map.of("admin-token-file", empty.toString()), Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessage("admin-token-file: " + empty + " is empty");
  }

  @Test
  void aSecretReadFromAFileIsValidatedLikeOneGivenDirectly() throws IOException {
    Path shortKey = secretFile("short.key", "c2hvcnQ=\n");

    assertThatThrownBy(() -> Config.load(Map.of("master-key-file", shortKey.toString()), Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("master-key: a master key must be 32 bytes");
  }
}
