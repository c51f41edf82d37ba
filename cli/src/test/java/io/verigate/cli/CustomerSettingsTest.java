package io.verigate.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where the key and URL come from: the command line, then the environment, then the config file, then the default. */
class CustomerSettingsTest {
  private static final Map<String, String> NO_ENV = Map.of();
  private static final Map<String, String> ENV = Map.of("VERIGATE_API_KEY", "vg_test_env", "VERIGATE_URL",
      "http://env.example:7070");

  @TempDir
  Path home;

  private Path writeDefaultConfig(String text) throws IOException {
    Path file = home.resolve(".config/verigate/config");
    Files.createDirectories(file.getParent());
    return Files.writeString(file, text);
  }

  @Test
  void theCommandLineComesFirst() throws IOException {
    writeDefaultConfig("api-key=vg_test_file\nurl=http://file.example\n");

    CustomerSettings settings = CustomerSettings.resolve("vg_test_flag", "http://flag.example", null, ENV, home);

    assertThat(settings).isEqualTo(new CustomerSettings("vg_test_flag", "--key", URI.create("http://flag.example")));
  }

  @Test
  void thenTheEnvironment() throws IOException {
    writeDefaultConfig("api-key=vg_test_file\nurl=http://file.example\n");

    CustomerSettings settings = CustomerSettings.resolve(null, null, null, ENV, home);

    assertThat(settings).isEqualTo(new CustomerSettings("vg_test_env", "VERIGATE_API_KEY",
        URI.create("http://env.example:7070")));
  }

  @Test
  void thenTheConfigFileInTheHomeDirectory() throws IOException {
    Path file = writeDefaultConfig("# my account\n\n api-key = vg_test_file \nurl=http://file.example\n");

    CustomerSettings settings = CustomerSettings.resolve(null, null, null, NO_ENV, home);

    assertThat(settings).isEqualTo(new CustomerSettings("vg_test_file", file.toString(), URI.create("http://file.example")));
  }

  @Test
  void theConfigFileFollowsXdgConfigHome() throws IOException {
    Path xdg = home.resolve("xdg");
    Files.createDirectories(xdg.resolve("verigate"));
    Files.writeString(xdg.resolve("verigate/config"), "api-key=vg_test_xdg\n");

    CustomerSettings settings = CustomerSettings.resolve(null, null, null, Map.of("XDG_CONFIG_HOME", xdg.toString()), home);

    assertThat(settings.apiKey()).isEqualTo("vg_test_xdg");
  }

  @Test
  void theUrlDefaultsToTheLocalNode() {
    CustomerSettings settings = CustomerSettings.resolve("vg_test_flag", null, null, NO_ENV, home);

    assertThat(settings.url()).isEqualTo(URI.create("http://127.0.0.1:7070"));
  }

  @Test
  void anUnknownSettingIsRefusedWithItsLine() throws IOException {
    Path file = writeDefaultConfig("api-key=vg_test_file\napi_key=vg_test_typo\n");

    assertThatThrownBy(() -> CustomerSettings.resolve(null, null, null, NO_ENV, home))
        .isInstanceOf(OperatorFailure.class)
        .hasMessage(file + " line 2: unknown setting 'api_key' (known: api-key, url)");
  }

  @Test
  void aLineWithoutAnEqualsSignIsRefusedWithoutEchoingIt() throws IOException {
    Path file = writeDefaultConfig("vg_test_pasted_secret\n");

    assertThatThrownBy(() -> CustomerSettings.resolve(null, null, null, NO_ENV, home))
        .hasMessage(file + " line 1: expected name=value");
  }

  @Test
  void aUrlThatIsNotHttpIsAUsageError() {
    assertThatThrownBy(() -> CustomerSettings.resolve("vg_test_flag", "ftp://node", null, NO_ENV, home))
        .isInstanceOfSatisfying(OperatorFailure.class, e -> assertThat(e.exitCode()).isEqualTo(Main.USAGE))
        .hasMessage("the node's URL must be an http:// or https:// URL, got 'ftp://node'");
  }
}
