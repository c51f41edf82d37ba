package io.verigate.server.system;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ConfigHelpTest {
  @Test
  void everyKeyIsExplainedInMoreThanItsNameAndSaysItsDefault() {
    Config.keys().forEach((key, fixedDefault) -> {
      String help = ConfigHelp.of(key);
      assertThat(help).as(key).isNotBlank().endsWith(".").contains(" Default: ");
      String description = help.substring(0, help.indexOf(" Default: "));
      assertThat(description.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z]", ""))
          .as("%s says more than its name", key)
          .isNotEqualTo(key.replaceAll("[^a-z]", ""))
          .hasSizeGreaterThan(key.length() + 5);
      if (!fixedDefault.isEmpty()) {
        assertThat(help).as(key).endsWith(" Default: " + fixedDefault + ".");
      }
    });
  }

  @Test
  void keysWithoutAFixedDefaultSayHowTheirsComesAbout() {
    assertThat(ConfigHelp.of("db-url")).endsWith("Default: an H2 file in data-dir.");
    assertThat(ConfigHelp.of("admin-token")).endsWith("Default: generated on first start.");
    assertThat(ConfigHelp.of("admin-token-file")).contains("admin-token").endsWith("Default: none.");
  }
}
