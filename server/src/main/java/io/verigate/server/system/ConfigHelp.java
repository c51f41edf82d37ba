package io.verigate.server.system;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What each configuration key does, for {@code verigate serve --help}: a sentence, then the default. A key added to
 * {@link Config} without a line here fails {@code ConfigHelpTest}.
 */
public final class ConfigHelp {
  private static final Map<String, String> WHAT = new LinkedHashMap<>();
  /** How the default of a key without a fixed one ({@code ""} in {@link Config#keys()}) comes about. */
  private static final Map<String, String> DERIVED_DEFAULT = new LinkedHashMap<>();

  static {
    WHAT.put("host", "Address to listen on.");
    WHAT.put("port", "HTTP port; 0 picks a free one.");
    WHAT.put("data-dir", "Directory of the embedded database, credentials.txt and master.key (kept 0700).");
    what("db-url", "JDBC URL of the database: jdbc:postgresql://host:5432/db for PostgreSQL.",
        "an H2 file in data-dir");
    what("db-user", "Database user, when not in the URL.", "none");
    what("db-password", "Database password, when not in the URL (or use db-password-file).", "none");
    WHAT.put("db-pool-size", "Connections in the database pool.");
    WHAT.put("db-wait", "How long a request waits for a pooled connection before it is refused as an outage (503).");
    WHAT.put("db-socket-timeout", "PostgreSQL: a connection that gets no answer this long fails instead of hanging.");
    WHAT.put("currency", "The deployment's single currency (ISO 4217).");
    WHAT.put("default-price", "Price of a number when no price rule matches.");
    WHAT.put("activation-lifetime", "How long a number stays assigned; then it expires (refunded) or finishes.");
    WHAT.put("early-cancel-guard", "Cancels are refused this long after a purchase.");
    WHAT.put("sweep-interval", "How often ended lifetimes are settled.");
    WHAT.put("upstream-timeout", "How long one call to an upstream provider may take (buy, finish, cancel).");
    WHAT.put("sandbox-delivery-delay", "Delay of the simulated SMS for test keys.");
    WHAT.put("sandbox-slow-delivery-delay", "Delay of the simulated SMS for the 'slow' magic operator.");
    WHAT.put("sandbox-funding", "Amount the sandbox credits a test wallet whenever it cannot pay.");
    what("admin-token", "The operator's admin token (or use admin-token-file).", "generated on first start");
    what("trusted-proxies", "CIDR ranges of reverse proxies whose X-Forwarded-For is believed, comma-separated.",
        "none");
    WHAT.put("max-keys-per-customer", "Active API keys one customer may hold at once.");
    WHAT.put("metrics-public", "true lets /metrics answer without the admin token.");
    WHAT.put("rate-limits", "off switches every request budget off.");
    what("rate-limit-store", "Where key budgets live: database (shared by nodes) or memory (per node).",
        "database on PostgreSQL, memory on H2");
    WHAT.put("rate-limit-purchase", "Purchases per API key and window, as requests/window.");
    WHAT.put("rate-limit-poll", "Status reads per API key and window.");
    WHAT.put("rate-limit-other", "Every other call per API key and window.");
    WHAT.put("rate-limit-anonymous", "Calls without a valid key, per client address and window.");
    WHAT.put("max-live-activations", "Live activations one customer may hold at once, per mode; off for no cap.");
    WHAT.put("success-rate-guard", "e.g. 7%/24h/10: refuse purchases while under 7 % of the last 24 h's "
        + "activations got a code, once 10 have an outcome.");
    what("master-key", "Base64 of the 32-byte key source secrets are encrypted with (or use master-key-file).",
        "generated on H2, none on PostgreSQL");
    what("master-key-previous", "The master key being rotated out (or use master-key-previous-file).", "none");
    WHAT.put("event-retention", "How long the event log keeps an event and the outbox a completed item.");
    WHAT.put("webhook-allow-private", "true lets webhook endpoints be on loopback and private networks.");
    WHAT.put("sse-max-streams", "Server-Sent Event streams one node holds open at most.");
    WHAT.put("dashboard-sign-up", "true lets anyone create a customer with an email and password on the dashboard.");
    WHAT.put("smtp-port", "The SMTP listener's port for email activations; 0 never opens it.");
    WHAT.put("smtp-host", "The address the SMTP listener binds to.");
    WHAT.put("smtp-max-message-size", "The largest message the SMTP listener takes, in bytes; larger ones get 552.");
    WHAT.put("smtp-tls-keystore", "A PKCS#12 file with the certificate and key for STARTTLS; none offers no TLS.");
    WHAT.put("smtp-tls-password", "The password of the STARTTLS keystore.");
    WHAT.put("email-domains", "Mail domains served, comma-separated, each with an optional price (name:0.04); "
        + "none keeps the SMTP port closed.");
    WHAT.put("email-sandbox-domain", "The mail domain test keys get their mailboxes on.");
    WHAT.put("email-default-price", "Price of a mailbox on a domain named without one.");
    WHAT.put("email-lifetime", "How long an email activation waits for its letter.");
    WHAT.put("email-late-mail", "How long after its lifetime a mailbox still takes (and keeps) letters.");
    WHAT.put("mail-retention", "How long the mail journal keeps a letter (its raw bytes included); purged daily.");
    WHAT.put("esim-airalo-url", "Root of Airalo's Partner API, the remote eSIM supplier.");
    what("esim-airalo-client-id", "Airalo client id; with it, live orders of a plan naming an Airalo package buy from "
        + "Airalo once the own stock is out.", "none (no remote supplier)");
    WHAT.put("esim-airalo-client-secret", "Airalo client secret, for its OAuth token and its webhooks' signatures.");
    WHAT.put("esim-airalo-price-rule", "Sale price of Airalo's synced packages: markup:<percent> on its net price "
        + "(rounded up to the cent), or fixed:<price> for every package (dearer ones left out).");
    WHAT.put("esim-airalo-sync-interval", "How often Airalo's packages are synced into the eSIM plan catalog.");
    what("esim-airalo-webhook-path", "Path Airalo's webhooks (low-data notices) are received at, such as "
        + "/hooks/airalo-7f3k; give Airalo this node's URL with it.", "none (no webhooks received)");
    WHAT.put("log-format", "How log lines are written: text, or json (one JSON object per line).");
    WHAT.put("shutdown-grace", "On SIGTERM, how long in-flight requests may still run before the node stops.");
    for (String secret : Config.SECRETS) {
      what(secret + Config.FILE_SUFFIX, "File holding " + secret + " (whitespace around it ignored); "
          + "not together with " + secret + " in the same place.", "none");
    }
  }

  private ConfigHelp() {}

  private static void what(String key, String description, String derivedDefault) {
    WHAT.put(key, description);
    DERIVED_DEFAULT.put(key, derivedDefault);
  }

  /** The help text of {@code key}: what it does and its default; empty when the key has no line here. */
  public static String of(String key) {
    String description = WHAT.get(key);
    if (description == null) {
      return "";
    }
    String fixed = Config.keys().getOrDefault(key, "");
    return description + " Default: " + (fixed.isEmpty() ? DERIVED_DEFAULT.getOrDefault(key, "none") : fixed) + ".";
  }
}
