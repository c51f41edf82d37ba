package io.verigate.cli;

import io.verigate.server.system.ConfigException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code verigate} command. Exit codes follow sysexits: 64 usage, 65 bad data, 69 unavailable, 70 internal. */
@Command(name = "verigate", mixinStandardHelpOptions = true, version = "verigate 0.1.0",
    description = "Verigate: SMS and email verification platform.",
    subcommands = {CommandLine.HelpCommand.class})
public final class Main {
  static final int USAGE = 64;
  static final int DATA_ERROR = 65;
  static final int UNAVAILABLE = 69;
  static final int INTERNAL = 70;

  public static void main(String[] args) {
    System.exit(run(args));
  }

  static int run(String... args) {
    return commandLine().execute(args);
  }

  static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new Main());
    CommandLine serve = new CommandLine(new ServeCommand());
    ServeCommand.withConfigOptions(serve.getCommandSpec());
    cli.addSubcommand("serve", serve);
    cli.setExitCodeExceptionMapper(e -> e instanceof ConfigException ? USAGE : INTERNAL);
    cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
      commandLine.getErr().println("verigate: " + e.getMessage());
      return commandLine.getExitCodeExceptionMapper().getExitCode(e);
    });
    cli.setParameterExceptionHandler((e, args) -> {
      e.getCommandLine().getErr().println("verigate: " + e.getMessage());
      e.getCommandLine().usage(e.getCommandLine().getErr());
      return USAGE;
    });
    return cli;
  }
}
