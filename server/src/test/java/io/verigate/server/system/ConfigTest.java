package io.verigate.server.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConfigTest {
  @TempDir
  Path dir;

  @Test
  void startsFromDocumentedDefaults() {
    Config config = Config.defaults(Map.of());

    assertThat(config.port()).isEqualTo(7070);
    assertThat(config.host()).isEqualTo("0.0.0.0");
    assertThat(config.currency()).isEqualTo("USD");
    assertThat(config.defaultPrice()).isEqualTo("0.50");
    assertThat(config.activationLifetime()).isEqualTo(Duration.ofMinutes(20));
    assertThat(config.earlyCancelGuard()).isEqualTo(Duration.ofMinutes(2));
    assertThat(config.usesPostgres()).isFalse();
    assertThat(config.databaseUrl()).startsWith("jdbc:h2:file:").contains("verigate");
  }

  @Test
  void everyKeyHasAnEnvironmentVariable() {
    assertThat(Config.envName("activation-lifetime")).isEqualTo("VERIGATE_ACTIVATION_LIFETIME");
    assertThat(Config.keys()).containsKeys("port", "db-url", "activation-lifetime", "early-cancel-guard");
  }

  @Test
  void flagsBeatTheEnvironmentWhichBeatsTheFile() throws IOException {
    Path file = dir.resolve("verigate.properties");
    Files.writeString(file, "port=1111\ncurrency=EUR\ndefault-price=0.25\n");
    Map<String, String> env = Map.of(
        "VERIGATE_CONFIG", file.toString(),
        "VERIGATE_PORT", "2222",
        "VERIGATE_CURRENCY", "GBP");
    Map<String, String> flags = Map.of("port", "3333");

    Config config = Config.load(flags, env);

    assertThat(config.port()).as("flag over environment and file").isEqualTo(3333);
    assertThat(config.currency()).as("environment over file").isEqualTo("GBP");
    assertThat(config.defaultPrice()).as("file over default").isEqualTo("0.25");
    assertThat(config.activationLifetime()).as("default when nobody sets it").isEqualTo(Duration.ofMinutes(20));
  }

  @Test
  void aConfigFlagNamesTheFile() throws IOException {
    Path file = dir.resolve("node.properties");
    Files.writeString(file, "activation-lifetime=PT5M\n");

    Config config = Config.load(Map.of("config", file.toString()), Map.of());

    assertThat(config.activationLifetime()).isEqualTo(Duration.ofMinutes(5));
  }

  @Test
  void refusesAnUnknownFlag() {
    assertThatThrownBy(() -> Config.load(Map.of("lifetime", "20m"), Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("'lifetime'");
  }

  @Test
  void refusesAnUnknownKeyInTheFile() throws IOException {
    Path file = dir.resolve("typo.properties");
    Files.writeString(file, "prot=8080\n");

    assertThatThrownBy(() -> Config.load(Map.of("config", file.toString()), Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("'prot'");
  }

  @Test
  void refusesAMissingFile() {
    Path missing = dir.resolve("absent.properties");

    assertThatThrownBy(() -> Config.load(Map.of("config", missing.toString()), Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(missing.toString());
  }

  @ParameterizedTest(name = "{0}={1} is refused")
  @CsvSource({
      "port, abc",
      "port, 70000",
      "db-pool-size, 0",
      "activation-lifetime, soon",
      "activation-lifetime, 20x",
      "early-cancel-guard, ''",
      "sweep-interval, PT",
      "default-price, 0.12345",
      "default-price, -1",
      "sandbox-funding, lots",
      "currency, dollars",
      "db-url, jdbc:mysql://localhost/verigate",
      "metrics-public, yes",
      "upstream-timeout, 0s"})
  void refusesABadValueNamingItsKey(String key, String value) {
    assertThatThrownBy(() -> Config.load(Map.of(key, value), Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(key);
  }

  @Test
  void refusesABadValueFromTheEnvironmentNamingItsKey() {
    assertThatThrownBy(() -> Config.load(Map.of(), Map.of("VERIGATE_ACTIVATION_LIFETIME", "forever")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("activation-lifetime");
  }

  @Test
  void refusesAnEarlyCancelGuardThatOutlastsTheLifetime() {
    assertThatThrownBy(() -> Config.defaults(Map.of("activation-lifetime", "5m", "early-cancel-guard", "5m")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("early-cancel-guard")
        .hasMessageContaining("activation-lifetime");
  }

  @ParameterizedTest(name = "{0} is {1}")
  @CsvSource({
      "90s, PT1M30S",
      "20m, PT20M",
      "1h, PT1H",
      "500ms, PT0.5S",
      "PT5M, PT5M",
      "pt45s, PT45S"})
  void readsDurationsInShortOrIsoForm(String text, String iso) {
    Config config = Config.defaults(Map.of("sweep-interval", text));

    assertThat(config.sweepInterval()).isEqualTo(Duration.parse(iso));
  }

  @Test
  void keepsMetricsBehindTheAdminTokenUnlessTold() {
    assertThat(Config.defaults(Map.of()).metricsPublic()).isFalse();
    assertThat(Config.load(Map.of(), Map.of("VERIGATE_METRICS_PUBLIC", "TRUE")).metricsPublic()).isTrue();
  }

  @Test
  void masksSecretsInItsDescription() {
    Config config = Config.defaults(Map.of("admin-token", "s3cret-admin",
        "db-url", "jdbc:postgresql://db/verigate?user=vg&password=hunter2"));

    assertThat(config.describe()).doesNotContain("s3cret-admin").doesNotContain("hunter2").contains("password=***");
  }

  @Test
  void rateLimitsAndGuardsDefaultToGenerousLimitsInTheStoreThatFitsTheDatabase() {
    Config h2 = Config.defaults(Map.of());

    assertThat(h2.rateLimits()).isTrue();
    assertThat(h2.rateLimitStore()).isEqualTo(Config.RateLimitStore.MEMORY);
    assertThat(h2.rateLimitPurchase()).isEqualTo(new Quota(600, Duration.ofMinutes(1)));
    assertThat(h2.rateLimitPoll()).isEqualTo(new Quota(12_000, Duration.ofMinutes(1)));
    assertThat(h2.rateLimitOther()).isEqualTo(new Quota(3_000, Duration.ofMinutes(1)));
    assertThat(h2.rateLimitAnonymous()).isEqualTo(new Quota(600, Duration.ofMinutes(1)));
    assertThat(h2.maxLiveActivations()).isEqualTo(100);
    assertThat(h2.successRateGuard()).isEmpty();
    assertThat(Config.defaults(Map.of("db-url", "jdbc:postgresql://db:5432/verigate")).rateLimitStore())
        .isEqualTo(Config.RateLimitStore.DATABASE);
  }

  @Test
  void readsQuotasGuardsAndTheirOffSwitches() {
    Config config = Config.load(Map.of("rate-limit-poll", "20/10s", "rate-limit-other", "5000/PT1H",
        "rate-limits", "OFF", "max-live-activations", "off", "success-rate-guard", "7.5%/24h/10",
        "rate-limit-store", "memory", "db-url", "jdbc:postgresql://db:5432/verigate"), Map.of());

    assertThat(config.rateLimitPoll()).isEqualTo(new Quota(20, Duration.ofSeconds(10)));
    assertThat(config.rateLimitOther()).isEqualTo(new Quota(5_000, Duration.ofHours(1)));
    assertThat(config.rateLimits()).isFalse();
    assertThat(config.maxLiveActivations()).isZero();
    assertThat(config.successRateGuard()).hasValue(new SuccessRateRule(750, Duration.ofHours(24), 10));
    assertThat(config.successRateGuard().orElseThrow().percent()).isEqualTo("7.5%");
    assertThat(config.rateLimitStore()).isEqualTo(Config.RateLimitStore.MEMORY);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "rate-limit-purchase  | 600         | rate-limit-purchase must be requests per whole seconds such as 600/1m",
      "rate-limit-poll      | 0/1m        | rate-limit-poll must be requests per whole seconds",
      "rate-limit-other     | 10/500ms    | rate-limit-other must be requests per whole seconds",
      "rate-limit-anonymous | ten/1m      | rate-limit-anonymous must be requests per whole seconds",
      "rate-limits          | yes         | rate-limits must be on or off, got 'yes'",
      "rate-limit-store     | redis       | rate-limit-store must be memory or database, got 'redis'",
      "rate-limit-store     | database    | rate-limit-store=database needs a PostgreSQL db-url",
      "max-live-activations | 0           | max-live-activations must be off or a whole number from 1 to 1000000",
      "success-rate-guard   | 7%          | success-rate-guard must be off or rate/window/minimum such as 7%/24h/10",
      "success-rate-guard   | 0%/24h/10   | success-rate-guard must be off or rate/window/minimum",
      "success-rate-guard   | 101%/24h/10 | success-rate-guard must be off or rate/window/minimum",
      "success-rate-guard   | 7%/soon/10  | success-rate-guard must be off or rate/window/minimum"})
  void refusesABadRateLimitOrGuardNamingTheKey(String key, String value, String message) {
    assertThatThrownBy(() -> Config.defaults(Map.of(key, value)))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(message);
  }
}
