package io.verigate.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * Options every customer command shares: the customer's API key and the node to use, each falling back to the
 * environment and the config file (see {@link CustomerSettings}).
 */
final class CustomerConnection {
  /** Help lists these shared options after each command's own (picocli puts options without an order first). */
  static final int HELP_ORDER = 100;

  @Option(names = "--key", paramLabel = "KEY", order = HELP_ORDER,
      description = "your API key, or @FILE (default: env " + CustomerSettings.KEY_ENV
          + ", else api-key= in the config file)")
  String key;

  @Option(names = "--url", paramLabel = "URL", order = HELP_ORDER + 1,
      description = "the node's base URL (default: env " + CustomerSettings.URL_ENV + ", else url= in the config file, "
          + "else " + CustomerSettings.DEFAULT_URL + ")")
  String url;

  @Option(names = "--config", paramLabel = "FILE", order = HELP_ORDER + 2,
      description = "a file of api-key= and url= lines (default: ~/.config/verigate/config, "
          + "or $XDG_CONFIG_HOME/verigate/config)")
  Path config;

  CustomerSettings settings() {
    return CustomerSettings.resolve(key, url, config, System.getenv(), Path.of(System.getProperty("user.home")));
  }
}
