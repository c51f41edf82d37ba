package io.verigate.server.system;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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
    Duration databaseWait,
    Duration databaseSocketTimeout,
    String currency,
    String defaultPrice,
    Duration activationLifetime,
    Duration earlyCancelGuard,
    Duration sweepInterval,
    // Upstream resale (upstream/): how long one call to an upstream provider may take.
    Duration upstreamTimeout,
    Duration sandboxDeliveryDelay,
    Duration sandboxSlowDeliveryDelay,
    String sandboxFunding,
    String adminToken,
    // The access gate: who may present a key, and how many a customer may hold.
    String trustedProxies,
    int maxKeysPerCustomer,
    // Operations: whether /metrics answers without the admin token
    boolean metricsPublic,
    // Rate limits and customer guards: account/RateLimits and activation/PurchaseLimits read these.
    boolean rateLimits,
    RateLimitStore rateLimitStore,
    Quota rateLimitPurchase,
    Quota rateLimitPoll,
    Quota rateLimitOther,
    Quota rateLimitAnonymous,
    int maxLiveActivations, // per customer and mode; 0 when the cap is off
    Optional<SuccessRateRule> successRateGuard,
    // Encryption of source secrets at rest (see SecretsAtRest): base64 of 32 bytes each, "" for none.
    String masterKey,
    String masterKeyPrevious,
    // Events and the outbox: how long the event log keeps an event (and the outbox a completed item).
    Duration eventRetention,
    // Webhooks (notify/): whether endpoints may be on loopback or private networks (SSRF guard off)
    boolean webhookAllowPrivate,
    // Server-Sent Events: how many streams one node holds open at most (notify/EventStreams).
    int sseMaxStreams,
    // The dashboard (http/dashboard): whether anyone may create a customer by signing up there.
    boolean dashboardSignUp,
    // Email activations (email/): the SMTP listener (opened only when email-domains names a domain; port 0 = never),
    // the domains as "name[:price]" separated by commas, the sandbox's domain, prices, lifetime and late-mail grace.
    int smtpPort,
    String smtpHost,
    int smtpMaxMessageSize,
    String smtpTlsKeystore,
    String smtpTlsPassword,
    String emailDomains,
    String emailSandboxDomain,
    String emailDefaultPrice,
    Duration emailLifetime,
    Duration emailLateMail,
    Duration mailRetention,
    // Travel eSIMs (esim/): Airalo's Partner API, the remote supplier live orders fall back to; off without a client id.
    String esimAiraloUrl,
    String esimAiraloClientId,
    String esimAiraloClientSecret,
    String esimAiraloPriceRule,
    Duration esimAiraloSyncInterval,
    String esimAiraloWebhookPath,
    // Operations: how log lines are written, and how long a stopping node lets in-flight requests run.
    LogFormat logFormat,
    Duration shutdownGrace) {

  /** How the node writes its log lines: one line of text each, or one JSON object each (for log shippers). */
  public enum LogFormat { TEXT, JSON }

  /**
   * Keys holding a secret: each may instead be read from a file named by the key with {@code -file} appended
   * ({@code admin-token-file}, {@code VERIGATE_ADMIN_TOKEN_FILE}), so the secret is not in {@code ps} or the
   * environment of every child process. systemd's {@code LoadCredential=} and container secrets are such files.
   */
  static final List<String> SECRETS = List.of("admin-token", "db-password", "master-key",
      "master-key-previous", "smtp-tls-password", "esim-airalo-client-secret");
  static final String FILE_SUFFIX = "-file";

  /** Where rate-limit budgets live: in this node's memory, or in the database every node shares. */
  public enum RateLimitStore { MEMORY, DATABASE }

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
    d.put("db-wait", "3s");
    d.put("db-socket-timeout", "60s");
    d.put("currency", "USD");
    d.put("default-price", "0.50");
    d.put("activation-lifetime", "20m");
    d.put("early-cancel-guard", "2m");
    d.put("sweep-interval", "5s");
    d.put("upstream-timeout", "10s");
    d.put("sandbox-delivery-delay", "4s");
    d.put("sandbox-slow-delivery-delay", "45s");
    d.put("sandbox-funding", "100.00");
    d.put("admin-token", "");
    d.put("trusted-proxies", "");
    d.put("max-keys-per-customer", "10");
    // Operations
    d.put("metrics-public", "false");
    // Rate limits and customer guards: generous, to stop a runaway loop rather than a normal client.
    d.put("rate-limits", "on");
    d.put("rate-limit-store", "");
    d.put("rate-limit-purchase", "600/1m");
    d.put("rate-limit-poll", "12000/1m");
    d.put("rate-limit-other", "3000/1m");
    d.put("rate-limit-anonymous", "600/1m");
    d.put("max-live-activations", "100");
    d.put("success-rate-guard", "off");
    // Encryption of source secrets at rest
    d.put("master-key", "");
    d.put("master-key-previous", "");
    // Events and the outbox
    d.put("event-retention", "30d");
    // Webhooks
    d.put("webhook-allow-private", "false");
    // Server-Sent Events
    d.put("sse-max-streams", "10000");
    // The dashboard
    d.put("dashboard-sign-up", "false");
    // Email activations
    d.put("smtp-port", "2525");
    d.put("smtp-host", "0.0.0.0");
    d.put("smtp-max-message-size", "10485760");
    d.put("smtp-tls-keystore", "");
    d.put("smtp-tls-password", "");
    d.put("email-domains", "");
    d.put("email-sandbox-domain", "sandbox.verigate.test");
    d.put("email-default-price", "0.04");
    d.put("email-lifetime", "20m");
    d.put("email-late-mail", "1d");
    d.put("mail-retention", "30d");
    // Travel eSIMs
    d.put("esim-airalo-url", "https://partners-api.airalo.com/v2/");
    d.put("esim-airalo-client-id", "");
    d.put("esim-airalo-client-secret", "");
    d.put("esim-airalo-price-rule", "markup:25");
    d.put("esim-airalo-sync-interval", "1h");
    d.put("esim-airalo-webhook-path", "");
    // Operations
    d.put("log-format", "text");
    d.put("shutdown-grace", "20s");
    SECRETS.forEach(secret -> d.put(secret + FILE_SUFFIX, ""));
    return java.util.Collections.unmodifiableMap(d);
  }

  /** Every configuration key with its default ("" when it has none), in documentation order. */
  public static Map<String, String> keys() {
    return DEFAULTS;
  }

  /**
   * Loads the configuration from flags, the environment and the optional file, and validates it. For each key the
   * first of these that gives it wins; a secret given there as {@code KEY-file} counts as given there, and giving
   * both forms in one place is an error.
   */
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
    List<Layer> layers = List.of(
        new Layer("the command line", key -> flags.get(key), key -> "--" + key),
        new Layer("the environment", key -> env.get(envName(key)), Config::envName),
        new Layer(file == null ? "the config file" : file, fromFile::get, key -> key));
    return fromSource(key -> {
      for (Layer layer : layers) {
        Optional<String> value = layer.value(key);
        if (value.isPresent()) {
          return value.get();
        }
      }
      return DEFAULTS.get(key);
    });
  }

  /** One place configuration comes from, and how a key is spelled there. */
  private record Layer(String name, Function<String, String> lookup, Function<String, String> spelling) {
    Optional<String> value(String key) {
      String given = lookup.apply(key);
      if (!SECRETS.contains(key)) {
        return Optional.ofNullable(given);
      }
      String fileKey = key + FILE_SUFFIX;
      String secretFile = lookup.apply(fileKey);
      if (secretFile == null || secretFile.isBlank()) {
        return Optional.ofNullable(given);
      }
      if (given != null) {
        throw new ConfigException(spelling.apply(key) + " and " + spelling.apply(fileKey) + " are both set in "
            + name + "; give the secret one way");
      }
      return Optional.of(readSecret(fileKey, Path.of(secretFile.trim())));
    }
  }

  /** A secret file's content without its surrounding blanks (editors and {@code echo} add a newline). */
  private static String readSecret(String fileKey, Path file) {
    String secret;
    try {
      secret = Files.readString(file).strip();
    } catch (IOException e) {
      throw new ConfigException(fileKey + ": cannot read " + file + " (" + e.getClass().getSimpleName() + ")");
    }
    if (secret.isEmpty()) {
      throw new ConfigException(fileKey + ": " + file + " is empty");
    }
    return secret;
  }

  /** Defaults only, with the given overrides: what tests and embedders start from. */
  public static Config defaults(Map<String, String> overrides) {
    return fromSource(key -> overrides.getOrDefault(key, DEFAULTS.get(key)));
  }

  /**
   * {@code written} ({@code 90s}, {@code 20m}, {@code 1h}, {@code 30d}, {@code 500ms} or ISO-8601 {@code PT20M}) as a
   * duration, or an error naming {@code key}; the CLI reads its duration options the same way.
   */
  public static Duration parseDuration(String key, String written) {
    String value = written.trim().toLowerCase(Locale.ROOT);
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
        case 'd': return Duration.ofDays(amount);
        default: break;
      }
    } catch (NumberFormatException | DateTimeParseException | StringIndexOutOfBoundsException e) {
      // fall through to the message below
    }
    throw new ConfigException(key + " must be a duration such as 90s, 20m or 1h, got '" + value + "'");
  }

  static String envName(String key) {
    return "VERIGATE_" + key.toUpperCase(Locale.ROOT).replace('-', '_');
  }

  private static Config fromSource(Function<String, String> source) {
    Values v = new Values(source);
    Path dataDir = Path.of(v.text("data-dir"));
    String dbUrl = v.text("db-url");
    if (dbUrl.isBlank()) {
      // Embedded and opened by this process only: no AUTO_SERVER, so H2 opens no TCP listener. The CLI talks to the
      // node over HTTP and needs none.
      // H2 would close itself in a JVM shutdown hook of its own, racing the node's graceful stop (which still writes).
      dbUrl = "jdbc:h2:file:" + dataDir.toAbsolutePath().normalize().resolve(DataDirectory.EMBEDDED_DATABASE)
          + ";DB_CLOSE_ON_EXIT=FALSE";
    } else if (!dbUrl.startsWith("jdbc:h2:") && !dbUrl.startsWith("jdbc:postgresql:")) {
      throw new ConfigException("db-url must be a jdbc:h2: or jdbc:postgresql: URL, got '" + dbUrl + "'");
    }
    boolean postgres = dbUrl.startsWith("jdbc:postgresql:");
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
        v.duration("db-wait"),
        v.duration("db-socket-timeout"),
        currency,
        v.amount("default-price"),
        v.duration("activation-lifetime"),
        v.duration("early-cancel-guard"),
        v.duration("sweep-interval"),
        v.duration("upstream-timeout"),
        v.duration("sandbox-delivery-delay"),
        v.duration("sandbox-slow-delivery-delay"),
        v.amount("sandbox-funding"),
        v.text("admin-token"),
        v.text("trusted-proxies"),
        v.integer("max-keys-per-customer", 1, 1000),
        // Operations
        v.bool("metrics-public"),
        v.onOff("rate-limits"),
        v.rateLimitStore("rate-limit-store", postgres),
        v.quota("rate-limit-purchase"),
        v.quota("rate-limit-poll"),
        v.quota("rate-limit-other"),
        v.quota("rate-limit-anonymous"),
        v.liveActivationCap("max-live-activations"),
        v.successRateRule("success-rate-guard"),
        v.masterKey("master-key"),
        v.masterKey("master-key-previous"),
        // Events and the outbox
        v.duration("event-retention"),
        // Webhooks
        v.bool("webhook-allow-private"),
        // Server-Sent Events
        v.integer("sse-max-streams", 1, 1_000_000),
        // The dashboard
        v.bool("dashboard-sign-up"),
        // Email activations
        v.integer("smtp-port", 0, 65535),
        v.text("smtp-host"),
        v.integer("smtp-max-message-size", 1024, 100 * 1024 * 1024),
        v.text("smtp-tls-keystore"),
        v.text("smtp-tls-password"),
        v.emailDomains("email-domains"),
        v.domainName("email-sandbox-domain"),
        v.amount("email-default-price"),
        v.duration("email-lifetime"),
        v.duration("email-late-mail"),
        v.duration("mail-retention"),
        // Travel eSIMs
        v.text("esim-airalo-url"),
        v.text("esim-airalo-client-id"),
        v.text("esim-airalo-client-secret"),
        v.text("esim-airalo-price-rule"),
        v.duration("esim-airalo-sync-interval"),
        v.text("esim-airalo-webhook-path"),
        // Operations
        v.logFormat("log-format"),
        v.duration("shutdown-grace"));
    if (config.databaseWait.compareTo(Duration.ofMillis(250)) < 0) {
      throw new ConfigException("db-wait must be at least 250ms, got " + config.databaseWait);
    }
    if (config.upstreamTimeout.compareTo(Duration.ofMillis(100)) < 0) {
      throw new ConfigException("upstream-timeout must be at least 100ms, got " + config.upstreamTimeout);
    }
    if (config.earlyCancelGuard.compareTo(config.activationLifetime) >= 0) {
      throw new ConfigException("early-cancel-guard (" + config.earlyCancelGuard
          + ") must be shorter than activation-lifetime (" + config.activationLifetime + ")");
    }
    if (!config.esimAiraloClientId.isEmpty() && config.esimAiraloClientSecret.isEmpty()) {
      throw new ConfigException("esim-airalo-client-id needs esim-airalo-client-secret");
    }
    if (!config.esimAiraloUrl.matches("https?://[^\\s]+")) {
      throw new ConfigException("esim-airalo-url must be an http(s) URL, got '" + config.esimAiraloUrl + "'");
    }
    // The rule's own parser (esim/CatalogPricing) is a feature's; system/ checks its shape only.
    if (!config.esimAiraloPriceRule.matches("markup:\\d{1,4}|fixed:\\d{1,9}(\\.\\d{1,4})?")) {
      throw new ConfigException("esim-airalo-price-rule must be markup:<percent> or fixed:<price>, got '"
          + config.esimAiraloPriceRule + "'");
    }
    if (config.esimAiraloSyncInterval.compareTo(Duration.ofMinutes(1)) < 0) {
      throw new ConfigException("esim-airalo-sync-interval must be at least 1m (Airalo allows 80 catalog requests a "
          + "minute), got " + config.esimAiraloSyncInterval);
    }
    if (!config.esimAiraloWebhookPath.isEmpty()
        && !config.esimAiraloWebhookPath.matches("/[A-Za-z0-9._~-]+(/[A-Za-z0-9._~-]+)*")) {
      throw new ConfigException("esim-airalo-webhook-path must be a path such as /hooks/airalo, got '"
          + config.esimAiraloWebhookPath + "'");
    }
    if (isZero(config.emailDefaultPrice)) {
      throw new ConfigException("email-default-price must be greater than zero");
    }
    return config;
  }

  /** The 32 bytes of a master key given as base64; anything else is a {@link ConfigException}. */
  static byte[] masterKeyBytes(String base64) {
    byte[] key;
    try {
      key = java.util.Base64.getDecoder().decode(base64.trim());
    } catch (IllegalArgumentException e) {
      throw new ConfigException("a master key must be base64, e.g. from 'openssl rand -base64 32'");
    }
    if (key.length != SecretBox.KEY_BYTES) {
      throw new ConfigException("a master key must be " + SecretBox.KEY_BYTES + " bytes (44 characters of base64), "
          + "e.g. from 'openssl rand -base64 32'; this one is " + key.length + " bytes");
    }
    return key;
  }

  /** Whether an amount already checked to be a decimal string is zero. */
  private static boolean isZero(String amount) {
    return new java.math.BigDecimal(amount).signum() == 0;
  }

  public boolean usesPostgres() {
    return databaseUrl.startsWith("jdbc:postgresql:");
  }

  /** The effective configuration for the start-up log, secrets masked. */
  public String describe() {
    return "port=" + port + " data-dir=" + dataDir + " db-url=" + databaseUrl.replaceAll("password=[^&;]*", "password=***")
        + " currency=" + currency + " default-price=" + defaultPrice + " activation-lifetime=" + activationLifetime
        + " early-cancel-guard=" + earlyCancelGuard + " sandbox-delivery-delay=" + sandboxDeliveryDelay
        + " admin-token=" + (adminToken.isBlank() ? "(generated)" : "***") + " metrics-public=" + metricsPublic
        + " rate-limits=" + (rateLimits ? rateLimitStore.name().toLowerCase(Locale.ROOT) : "off")
        + " max-live-activations=" + (maxLiveActivations == 0 ? "off" : maxLiveActivations)
        + " success-rate-guard=" + successRateGuard.map(SuccessRateRule::toString).orElse("off")
        + " email-domains=" + (emailDomains.isEmpty() ? "(none: SMTP closed)" : emailDomains + " smtp-port=" + smtpPort);
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
    private static final Pattern DOMAIN_NAME = Pattern.compile(
        "(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+");
    private static final Pattern SUCCESS_RATE_RULE = Pattern.compile("(\\d{1,3})(?:\\.(\\d{1,2}))?%/([^/]+)/(\\d{1,6})");

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

    boolean bool(String key) {
      String value = text(key).toLowerCase(Locale.ROOT);
      return switch (value) {
        case "true" -> true;
        case "false" -> false;
        default -> throw new ConfigException(key + " must be true or false, got '" + value + "'");
      };
    }

    String amount(String key) {
      String value = text(key);
      if (!value.matches("\\d{1,9}(\\.\\d{1,4})?")) {
        throw new ConfigException(key + " must be an amount such as 0.50 (at most 4 decimals), got '" + value + "'");
      }
      return value;
    }

    /** A domain name such as mail.example.com, lower-cased. */
    String domainName(String key) {
      String value = text(key).toLowerCase(Locale.ROOT);
      if (!DOMAIN_NAME.matcher(value).matches()) {
        throw new ConfigException(key + " must be a domain name such as mail.example.com, got '" + value + "'");
      }
      return value;
    }

    /** Empty, or domains separated by commas, each with an optional price above zero: {@code a.example:0.05,b.example}. */
    String emailDomains(String key) {
      String value = text(key).toLowerCase(Locale.ROOT);
      if (value.isEmpty()) {
        return value;
      }
      for (String entry : value.split(",")) {
        String[] parts = entry.strip().split(":", -1);
        boolean good = parts.length <= 2 && DOMAIN_NAME.matcher(parts[0]).matches()
            && (parts.length == 1 || (parts[1].matches("\\d{1,9}(\\.\\d{1,4})?") && !isZero(parts[1])));
        if (!good) {
          throw new ConfigException(key + " must be domains separated by commas, each optionally with a price above "
              + "zero (mail.example.com:0.05,inbox.example.net), got '" + entry.strip() + "'");
        }
      }
      return value;
    }

    /** Empty, or the base64 of a master key. */
    String masterKey(String key) {
      String value = text(key);
      if (!value.isEmpty()) {
        try {
          masterKeyBytes(value);
        } catch (ConfigException e) {
          throw new ConfigException(key + ": " + e.getMessage());
        }
      }
      return value;
    }

    /** Accepts {@code 90s}, {@code 20m}, {@code 1h}, {@code 30d}, {@code 500ms} or ISO-8601 {@code PT20M}. */
    Duration duration(String key) {
      return duration(key, text(key));
    }

    /** {@code written} as a duration, or an error naming {@code key}. */
    Duration duration(String key, String written) {
      return parseDuration(key, written);
    }

    LogFormat logFormat(String key) {
      String value = text(key).toLowerCase(Locale.ROOT);
      return switch (value) {
        case "text" -> LogFormat.TEXT;
        case "json" -> LogFormat.JSON;
        default -> throw new ConfigException(key + " must be text or json, got '" + value + "'");
      };
    }

    boolean onOff(String key) {
      String value = text(key).toLowerCase(Locale.ROOT);
      if (!value.equals("on") && !value.equals("off")) {
        throw new ConfigException(key + " must be on or off, got '" + value + "'");
      }
      return value.equals("on");
    }

    /** Unset means the database on PostgreSQL, where several nodes may share it, and memory on H2. */
    RateLimitStore rateLimitStore(String key, boolean postgres) {
      String value = text(key).toLowerCase(Locale.ROOT);
      if (value.isEmpty()) {
        return postgres ? RateLimitStore.DATABASE : RateLimitStore.MEMORY;
      }
      if (value.equals("memory")) {
        return RateLimitStore.MEMORY;
      }
      if (!value.equals("database")) {
        throw new ConfigException(key + " must be memory or database, got '" + value + "'");
      }
      if (!postgres) {
        throw new ConfigException(key + "=database needs a PostgreSQL db-url; H2 serves one node, so use memory");
      }
      return RateLimitStore.DATABASE;
    }

    /** {@code 600/1m}: requests per window, the window a whole number of seconds. */
    Quota quota(String key) {
      String value = text(key);
      int slash = value.indexOf('/');
      if (slash > 0 && value.substring(0, slash).matches("\\d{1,9}")) {
        long requests = Long.parseLong(value.substring(0, slash));
        Duration window = durationOrNull(key, value.substring(slash + 1));
        if (requests >= 1 && window != null && window.getSeconds() >= 1 && window.getNano() == 0) {
          return new Quota(requests, window);
        }
      }
      throw new ConfigException(key + " must be requests per whole seconds such as 600/1m or 20/10s, got '"
          + value + "'");
    }

    /** A duration inside a larger value, whose own message names the whole format: null when unreadable. */
    private Duration durationOrNull(String key, String written) {
      try {
        return duration(key, written);
      } catch (ConfigException unreadable) {
        return null;
      }
    }

    int liveActivationCap(String key) {
      String value = text(key);
      if (value.equalsIgnoreCase("off")) {
        return 0;
      }
      if (!value.matches("\\d{1,7}") || Integer.parseInt(value) < 1 || Integer.parseInt(value) > 1_000_000) {
        throw new ConfigException(key + " must be off or a whole number from 1 to 1000000, got '" + value + "'");
      }
      return Integer.parseInt(value);
    }

    /** {@code off}, or {@code 7%/24h/10}: a rate (up to two decimals), a window, and the outcomes needed to judge. */
    Optional<SuccessRateRule> successRateRule(String key) {
      String value = text(key);
      if (value.equalsIgnoreCase("off")) {
        return Optional.empty();
      }
      Matcher rule = SUCCESS_RATE_RULE.matcher(value);
      if (rule.matches()) {
        int basisPoints = Integer.parseInt(rule.group(1)) * 100
            + (rule.group(2) == null ? 0 : Integer.parseInt((rule.group(2) + "0").substring(0, 2)));
        Duration window = durationOrNull(key, rule.group(3));
        int minimum = Integer.parseInt(rule.group(4));
        if (basisPoints > 0 && basisPoints <= 10_000 && window != null && window.getSeconds() >= 1 && minimum >= 1) {
          return Optional.of(new SuccessRateRule(basisPoints, window, minimum));
        }
      }
      throw new ConfigException(key + " must be off or rate/window/minimum such as 7%/24h/10 (a rate above 0 "
          + "and at most 100 %, at least 1 activation), got '" + value + "'");
    }
  }
}
