package io.verigate.cli;

import io.verigate.server.system.ConfigException;
import java.util.List;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The {@code verigate} command. Exit codes follow sysexits: 64 usage, 65 data refused by the node, 66 input file
 * missing, 69 node unreachable, 70 internal.
 */
@Command(name = "verigate", mixinStandardHelpOptions = true, version = "verigate 0.1.0",
    description = "Verigate: SMS and email verification platform.",
    subcommands = {CommandLine.HelpCommand.class})
public final class Main {
  static final int USAGE = 64;
  static final int DATA_ERROR = 65;
  static final int NO_INPUT = 66;
  static final int UNAVAILABLE = 69;
  static final int INTERNAL = 70;

  /** A group of operator commands, such as {@code verigate keys create|list|revoke}. */
  private record Group(String name, String description, List<Supplier<Object>> commands) {}

  /** Every operator command, talking to a running node's admin API; one class each. */
  private static final List<Group> OPERATOR_COMMANDS = List.of(
      new Group("customers", "Customer accounts.", List.of(CustomersCreate::new, CustomersList::new)),
      new Group("keys", "Customers' API keys.", List.of(KeysCreate::new, KeysList::new, KeysRevoke::new)),
      new Group("wallet", "Customers' prepaid wallets.", List.of(WalletCredit::new, WalletShow::new)),
      new Group("sources", "Number sources: the gateways that own numbers and push their SMS.",
          List.of(SourcesCreate::new, SourcesConfigure::new, SourcesList::new, SourcesShow::new)),
      new Group("numbers", "Phone number inventory.", List.of(NumbersImport::new)),
      new Group("prices", "Prices per service and country.", List.of(PricesSet::new, PricesList::new)));

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
    for (Group group : OPERATOR_COMMANDS) {
      cli.addSubcommand(group.name(), groupCommand(group));
    }
    cli.setCaseInsensitiveEnumValuesAllowed(true);
    cli.setExitCodeExceptionMapper(e -> e instanceof ConfigException ? USAGE
        : e instanceof OperatorFailure failure ? failure.exitCode() : INTERNAL);
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

  /** A group runs nothing itself: without a subcommand picocli reports a usage error. */
  private static CommandLine groupCommand(Group group) {
    CommandSpec spec = CommandSpec.create().name(group.name()).mixinStandardHelpOptions(true);
    spec.usageMessage().description(group.description());
    CommandLine groupLine = new CommandLine(spec);
    group.commands().forEach(command -> groupLine.addSubcommand(command.get()));
    return groupLine;
  }
}
