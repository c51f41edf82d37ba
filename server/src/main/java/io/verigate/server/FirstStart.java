package io.verigate.server;

import io.verigate.server.account.Accounts;
import io.verigate.server.account.Actor;
import io.verigate.server.account.AdminAuth;
import io.verigate.server.account.ApiKeyFormat;
import io.verigate.server.account.ApiKeys;
import io.verigate.server.account.Mode;
import io.verigate.server.system.Config;
import io.verigate.server.system.DataDirectory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * On the very first start, creates a sandbox customer with a test-mode key and the operator's admin token, shows both
 * once and keeps them in {@code <data-dir>/credentials.txt} (owner-only), where the CLI finds the token. Later starts
 * show only where they are kept: a secret printed on every start ends up in every log that collects the node's output.
 * The database keeps only hashes.
 */
public final class FirstStart {
  private static final String SANDBOX_KEY_LINE = "Sandbox API key: ";
  private static final String ADMIN_TOKEN_LINE = "Admin token: ";

  /**
   * What this start knows of the operator's credentials: both new secrets on the first start; on a later one neither,
   * but a configured {@code admin-token}, and where the first start's are kept.
   */
  public record Credentials(Optional<String> sandboxKey, Optional<String> adminToken, String whereKept) {
    /** What the node prints when it starts: the secrets on the first start, afterwards one line saying where they are. */
    public List<String> lines() {
      if (sandboxKey.isPresent() && adminToken.isPresent()) {
        return List.of(SANDBOX_KEY_LINE + sandboxKey.get(), ADMIN_TOKEN_LINE + adminToken.get());
      }
      return List.of("The sandbox API key and admin token shown on the first start are kept in " + whereKept
          + "; issue new API keys with 'verigate keys create', and set a new admin token with admin-token.");
    }
  }

  private FirstStart() {}

  public static Credentials ensure(Config config, Accounts accounts, ApiKeys keys, AdminAuth admin) {
    Path file = config.dataDir().resolve(DataDirectory.CREDENTIALS_FILE);
    Optional<String> configuredToken = config.adminToken().isBlank() ? Optional.empty() : Optional.of(config.adminToken());
    configuredToken.ifPresent(admin::set);
    if (admin.isConfigured() && Files.exists(file)) {
      return new Credentials(Optional.empty(), configuredToken, file + " (readable by its owner only)");
    }
    if (admin.isConfigured() && !accounts.customers().isEmpty()) {
      // The database was bootstrapped from another data directory (several nodes on one PostgreSQL).
      return new Credentials(Optional.empty(), configuredToken,
          "the data directory of the node that started this database first");
    }
    String token = configuredToken.orElseGet(() -> "vga_" + ApiKeyFormat.random(40));
    admin.set(token);
    Accounts.Customer sandbox = accounts.createCustomer(Actor.SYSTEM, "Sandbox");
    String key = keys.issue(Actor.SYSTEM, sandbox.id(), ApiKeys.NewKey.unrestricted(Mode.TEST, "first-start sandbox key"))
        .secret();
    DataDirectory.writeSecret(file, List.of(SANDBOX_KEY_LINE + key, ADMIN_TOKEN_LINE + token));
    return new Credentials(Optional.of(key), Optional.of(token), file.toString());
  }
}
