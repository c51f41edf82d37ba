package io.verigate.cli;

import io.verigate.server.system.DataDirectory;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Options every operator command shares: which node to talk to and the admin token that proves the caller is
 * its operator. The token falls back to the node's own credentials file, so an operator on the node's machine
 * needs no flags at all.
 */
final class AdminConnection {
  /** Help lists these shared options after each command's own (picocli puts options without an order first). */
  static final int HELP_ORDER = 100;
  private static final String TOKEN_LINE = "Admin token: ";

  @Option(names = "--url", paramLabel = "URL", order = HELP_ORDER,
      defaultValue = "${env:VERIGATE_URL:-http://localhost:7070}",
      description = "the node's base URL (env VERIGATE_URL; default ${DEFAULT-VALUE})")
  URI url;

  @Option(names = "--admin-token", paramLabel = "TOKEN", order = HELP_ORDER + 1, defaultValue = "${env:VERIGATE_ADMIN_TOKEN}",
      description = "the node's admin token, or " + SourceSettingsOptions.FROM_FILE + " (env VERIGATE_ADMIN_TOKEN; "
          + "default: the 'Admin token' line of DIR/" + DataDirectory.CREDENTIALS_FILE + ")")
  String adminToken;

  @Option(names = "--data-dir", paramLabel = "DIR", order = HELP_ORDER + 2, defaultValue = "./data",
      description = "the node's data directory, read for the admin token when none is given (default ${DEFAULT-VALUE})")
  Path dataDir;

  @Spec(Spec.Target.MIXEE)
  CommandSpec command;

  AdminClient client() {
    String scheme = url.getScheme() == null ? "" : url.getScheme();
    if (!scheme.equals("http") && !scheme.equals("https") || url.getHost() == null) {
      throw new ParameterException(command.commandLine(), "--url must be an http:// or https:// URL, got '" + url + "'");
    }
    return new AdminClient(url, token());
  }

  private String token() {
    if (adminToken != null && !adminToken.isBlank()) {
      return adminToken.trim();
    }
    Path credentials = dataDir.resolve(DataDirectory.CREDENTIALS_FILE);
    return tokenIn(credentials).orElseThrow(() -> missingToken("found none in " + credentials));
  }

  private Optional<String> tokenIn(Path credentials) {
    if (!Files.isRegularFile(credentials)) {
      return Optional.empty();
    }
    try {
      return Files.readAllLines(credentials, StandardCharsets.UTF_8).stream()
          .filter(line -> line.startsWith(TOKEN_LINE))
          .map(line -> line.substring(TOKEN_LINE.length()).trim())
          .filter(token -> !token.isEmpty())
          .findFirst();
    } catch (IOException e) {
      // typically the node runs as another user: its credentials file is readable by that user only
      throw missingToken("cannot read " + credentials + ": " + e);
    }
  }

  private ParameterException missingToken(String why) {
    return new ParameterException(command.commandLine(), "no admin token: pass --admin-token, set VERIGATE_ADMIN_TOKEN, "
        + "or point --data-dir at the node's data directory (" + why + ")");
  }
}
