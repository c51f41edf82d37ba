package io.verigate.server.system;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;

/**
 * The whole configuration of one Verigate node, validated once at start-up and immutable afterwards.
 *
 * <p>Every key is looked up in command-line flags first, then {@code VERIGATE_*} environment
 * variables ({@code activation-lifetime} becomes {@code VERIGATE_ACTIVATION_LIFETIME}), then an optional
 * properties file named by {@code config}. The README's configuration table lists every key; keep the two
 * in step.
 */
public record Config(
    String host,
    int port,
    Path dataDir,
    String databaseUrl,
    String databaseUser,
    String databasePassword,
    int databasePoolSize,
    String currency,
    String defaultPrice,
    Duration activationLifetime,
    Duration earlyCancelGuard,
    Duration sweepInterval,
    Duration sandboxDeliveryDelay,
    Duration sandboxSlowDeliveryDelay,
    String sandboxFunding,
    String adminToken) {

  /** Keys with their defaults; {@code ""} means "no default" (optional or derived). */
  static final Map<String, String> DEFAULTS = defaults();

  private static Map<String, String> defaults() {
    Map<String, String> d = new LinkedHashMap<>();
    d.put("host", "0.0.0.0");
    d.put("port", "7070");
    d.put("data-dir", "./data");
    d.put("db-url", "");
    d.put("db-user", "");
    d.put("db-password", "");
    d.put("db-pool-size", "10");
    d.put("currency", "USD");
    d.put("default-price", "0.50");
    d.put("activation-lifetime", "20m");
    d.put("early-cancel-guard", "2m");
    d.put("sweep-interval", "5s");
    d.put("sandbox-delivery-delay", "4s");
    d.put("sandbox-slow-delivery-delay", "45s");
    d.put("sandbox-funding", "100.00");
    d.put("admin-token", "");
    return java.util.Collections.unmodifiableMap(d);
  }

  /** Every configuration key with its default ("" when it has none), in documentation order. */
  public static Map<String, String> keys() {
    return DEFAULTS;
  }

  /** Loads the configuration from flags, the environment and the optional file, and validates it. */
  public static Config load(Map<String, String> flags, Map<String, String> env) {
    Map<String, String> fileValues = Map.of();
    String file = flags.getOrDefault("config", env.get("VERIGATE_CONFIG"));
    if (file != null && !file.isBlank()) {
      fileValues = readFile(Path.of(file));
    }
    for (String key : flags.keySet()) {
      if (!key.equals("config") && !DEFAULTS.containsKey(key)) {
        throw new ConfigException("unknown configuration key '" + key + "'");
      }
    }
    Map<String, String> fromFile = fileValues;
    return fromSource(key -> {
      if (flags.containsKey(key)) {
        return flags.get(key);
      }
      String envValue = env.get(envName(key));
      if (envValue != null) {
        return envValue;
      }
      return fromFile.getOrDefault(key, DEFAULTS.get(key));
    });
  }

  /** Defaults only, with the given overrides: what tests and embedders start from. */
  public static Config defaults(Map<String, String> overrides) {
    return fromSource(key -> overrides.getOrDefault(key, DEFAULTS.get(key)));
  }

  static String envName(String key) {
    return "VERIGATE_" + key.toUpperCase(Locale.ROOT).replace('-', '_');
  }

  private static Config fromSource(Function<String, String> source) {
    Values v = new Values(source);
    Path dataDir = Path.of(v.text("data-dir"));
    String dbUrl = v.text("db-url");
    if (dbUrl.isBlank()) {
      // AUTO_SERVER lets the CLI and a second process read the same file while the server runs.
      dbUrl = "jdbc:h2:file:" + dataDir.toAbsolutePath().normalize().resolve("verigate")
          + ";AUTO_SERVER=TRUE";
    } else if (!dbUrl.startsWith("jdbc:h2:") && !dbUrl.startsWith("jdbc:postgresql:")) {
      throw new ConfigException("db-url must be a jdbc:h2: or jdbc:postgresql: URL, got '" + dbUrl + "'");
    }
    String currency = v.text("currency").toUpperCase(Locale.ROOT);
    if (!currency.matches("[A-Z]{3}")) {
      throw new ConfigException("currency must be an ISO 4217 code such as USD, got '" + currency + "'");
    }
    Config config = new Config(
        v.text("host"),
        v.integer("port", 0, 65535),
        dataDir,
        dbUrl,
        v.text("db-user"),
        v.text("db-password"),
        v.integer("db-pool-size", 1, 200),
        currency,
        v.amount("default-price"),
        v.duration("activation-lifetime"),
        v.duration("early-cancel-guard"),
        v.duration("sweep-interval"),
        v.duration("sandbox-delivery-delay"),
        v.duration("sandbox-slow-delivery-delay"),
        v.amount("sandbox-funding"),
        v.text("admin-token"));
    if (config.earlyCancelGuard.compareTo(config.activationLifetime) >= 0) {
      throw new ConfigException("early-cancel-guard (" + config.earlyCancelGuard
          + ") must be shorter than activation-lifetime (" + config.activationLifetime + ")");
    }
    return config;
  }

  public boolean usesPostgres() {
    return databaseUrl.startsWith("jdbc:postgresql:");
  }

  /** The effective configuration for the start-up log, secrets masked. */
  public String describe() {
    return "port=" + port + " data-dir=" + dataDir + " db-url=" + databaseUrl.replaceAll("password=[^&;]*", "password=***")
        + " currency=" + currency + " default-price=" + defaultPrice + " activation-lifetime=" + activationLifetime
        + " early-cancel-guard=" + earlyCancelGuard + " sandbox-delivery-delay=" + sandboxDeliveryDelay
        + " admin-token=" + (adminToken.isBlank() ? "(generated)" : "***");
  }

  private static Map<String, String> readFile(Path file) {
    Properties properties = new Properties();
    try (Reader reader = Files.newBufferedReader(file)) {
      properties.load(reader);
    } catch (IOException e) {
      throw new ConfigException("cannot read config file " + file + ": " + e.getMessage());
    }
    Map<String, String> values = new LinkedHashMap<>();
    for (String key : properties.stringPropertyNames()) {
      if (!DEFAULTS.containsKey(key)) {
        throw new ConfigException("unknown configuration key '" + key + "' in " + file);
      }
      values.put(key, properties.getProperty(key).trim());
    }
    return values;
  }

  /** Typed reads that name the offending key in their error. */
  private record Values(Function<String, String> source) {

    String text(String key) {
      String value = source.apply(key);
      return value == null ? "" : value.trim();
    }

    int integer(String key, int min, int max) {
      String value = text(key);
      try {
        int parsed = Integer.parseInt(value);
        if (parsed < min || parsed > max) {
          throw new ConfigException(key + " must be between " + min + " and " + max + ", got " + value);
        }
        return parsed;
      } catch (NumberFormatException e) {
        throw new ConfigException(key + " must be a whole number, got '" + value + "'");
      }
    }

    String amount(String key) {
      String value = text(key);
      if (!value.matches("\\d{1,9}(\\.\\d{1,4})?")) {
        throw new ConfigException(key + " must be an amount such as 0.50 (at most 4 decimals), got '" + value + "'");
      }
      return value;
    }

    /** Accepts {@code 90s}, {@code 20m}, {@code 1h}, {@code 500ms} or ISO-8601 {@code PT20M}. */
    Duration duration(String key) {
      String value = text(key).toLowerCase(Locale.ROOT);
      try {
        if (value.startsWith("pt") || value.startsWith("p")) {
          return Duration.parse(value.toUpperCase(Locale.ROOT));
        }
        if (value.endsWith("ms")) {
          return Duration.ofMillis(Long.parseLong(value.substring(0, value.length() - 2)));
        }
        long amount = Long.parseLong(value.substring(0, value.length() - 1));
        switch (value.charAt(value.length() - 1)) {
          case 's': return Duration.ofSeconds(amount);
          case 'm': return Duration.ofMinutes(amount);
          case 'h': return Duration.ofHours(amount);
          default: break;
        }
      } catch (NumberFormatException | DateTimeParseException | StringIndexOutOfBoundsException e) {
        // fall through to the message below
      }
      throw new ConfigException(key + " must be a duration such as 90s, 20m or 1h, got '" + value + "'");
    }
  }
}
