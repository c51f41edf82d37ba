package io.verigate.cli;

import io.verigate.server.account.Mode;
import java.util.Locale;
import picocli.CommandLine.Option;

/** {@code --mode live|test}: live keys and wallets deal in real numbers and money, test ones only in the sandbox. */
final class ModeOption {
  @Option(names = "--mode", paramLabel = "live|test", defaultValue = "live",
      description = "live (real numbers and money) or test (sandbox); default ${DEFAULT-VALUE}")
  Mode mode;

  /** The mode as the admin API spells it. */
  String value() {
    return mode.name().toLowerCase(Locale.ROOT);
  }
}
