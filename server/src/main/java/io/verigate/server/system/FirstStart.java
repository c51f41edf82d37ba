package io.verigate.server.system;

import io.verigate.server.account.Accounts;
import io.verigate.server.account.AdminAuth;
import io.verigate.server.account.ApiKeyFormat;
import io.verigate.server.account.Mode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;

/**
 * On the very first start, creates a sandbox customer with a test-mode key and the operator's admin token,
 * and keeps both in {@code <data-dir>/credentials.txt} (owner-readable only) so later starts can show them
 * again. The database keeps only hashes.
 */
public final class FirstStart {
  public static final String FILE_NAME = "credentials.txt";

  /** What the operator needs to begin; {@code sandboxKey} is empty when the file is gone. */
  public record Credentials(Optional<String> sandboxKey, Optional<String> adminToken) {
    public List<String> lines() {
      return List.of("Sandbox API key: " + sandboxKey.orElse("(see " + FILE_NAME + ")"),
          "Admin token: " + adminToken.orElse("(see " + FILE_NAME + ")"));
    }
  }

  private FirstStart() {}

  public static Credentials ensure(Config config, Accounts accounts, AdminAuth admin) {
    Path file = config.dataDir().resolve(FILE_NAME);
    if (!config.adminToken().isBlank()) {
      admin.set(config.adminToken());
    }
    if (admin.isConfigured() && Files.exists(file)) {
      return read(file, config);
    }
    if (admin.isConfigured() && !accounts.customers().isEmpty()) {
      // The database was bootstrapped from another data directory (several nodes on one PostgreSQL).
      return new Credentials(Optional.empty(), config.adminToken().isBlank() ? Optional.empty() : Optional.of(config.adminToken()));
    }
    String token = config.adminToken().isBlank() ? "vga_" + ApiKeyFormat.random(40) : config.adminToken();
    admin.set(token);
    Accounts.Customer sandbox = accounts.createCustomer("Sandbox");
    String key = accounts.issueKey(sandbox.id(), Mode.TEST, "first-start sandbox key").key();
    Credentials credentials = new Credentials(Optional.of(key), Optional.of(token));
    write(file, credentials);
    return credentials;
  }

  private static Credentials read(Path file, Config config) {
    try {
      List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
      Optional<String> key = value(lines, "Sandbox API key: ");
      Optional<String> token = config.adminToken().isBlank() ? value(lines, "Admin token: ") : Optional.of(config.adminToken());
      return new Credentials(key, token);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  private static Optional<String> value(List<String> lines, String prefix) {
    return lines.stream().filter(l -> l.startsWith(prefix)).map(l -> l.substring(prefix.length()).trim()).findFirst();
  }

  private static void write(Path file, Credentials credentials) {
    try {
      Files.createDirectories(file.getParent());
      Files.write(file, credentials.lines(), StandardCharsets.UTF_8);
      try {
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
      } catch (UnsupportedOperationException e) {
        // Not a POSIX file system; the file keeps the directory's permissions.
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }
}
