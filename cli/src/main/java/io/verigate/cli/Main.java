package io.verigate.cli;

import io.verigate.server.system.ConfigException;
import io.verigate.server.system.Version;
import java.util.List;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The {@code verigate} command. Exit codes follow sysexits, the same for operator and customer commands: 64 usage,
 * 65 data refused by the node, 66 input file missing, 69 node unreachable, 70 internal, 75 temporary (try again
 * later: no code in time, rate limited, no numbers now), 77 the key is refused. {@link ApiRefusal} maps the REST
 * API's problem codes onto them.
 */
@Command(name = "verigate", mixinStandardHelpOptions = true, versionProvider = Main.BuildVersion.class,
    description = "Verigate: SMS and email verification platform.",
    subcommands = {CommandLine.HelpCommand.class})
public final class Main {
  static final int USAGE = 64;
  static final int DATA_ERROR = 65;
  static final int NO_INPUT = 66;
  static final int UNAVAILABLE = 69;
  static final int INTERNAL = 70;
  static final int TEMP_FAILURE = 75;
  static final int NO_PERMISSION = 77;

  /** {@code verigate --version}: the build's version, the one {@code /health} and the API document report. */
  static final class BuildVersion implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"verigate " + Version.current()};
    }
  }

  /** A group of operator commands, such as {@code verigate keys create|list|revoke}. */
  private record Group(String name, String description, List<Supplier<Object>> commands) {}

  /** Every operator command, talking to a running node's admin API; one class each. */
  private static final List<Group> OPERATOR_COMMANDS = List.of(
      new Group("customers", "Customer accounts.", List.of(CustomersCreate::new, CustomersList::new)),
      new Group("keys", "Customers' API keys.", List.of(KeysCreate::new, KeysList::new, KeysRotate::new, KeysRevoke::new)),
      new Group("wallet", "Customers' prepaid wallets.", List.of(WalletCredit::new, WalletShow::new)),
      new Group("sources", "Number sources: the gateways that own numbers and push their SMS.",
          List.of(SourcesCreate::new, SourcesConfigure::new, SourcesList::new, SourcesShow::new,
              SourcesUpstreams::new)),
      new Group("numbers", "Phone number inventory.", List.of(NumbersImport::new)),
      new Group("prices", "Prices per service and country.", List.of(PricesSet::new, PricesList::new)),
      new Group("esim-stock", "The operator's eSIM plans, the profiles in stock for them, and Airalo's catalog.",
          List.of(EsimStockList::new, EsimStockImport::new, EsimStockSync::new)),
      new Group("webhooks", "Customers' webhook endpoints.", List.of(WebhooksCreate::new, WebhooksList::new)));

  /** Every customer command, calling a node's REST API through the Java SDK with the customer's own API key. */
  private static final List<Supplier<Object>> CUSTOMER_COMMANDS = List.of(NumberCommand::new, StatusCommand::new,
      FinishCommand::new, CancelCommand::new, ResendCommand::new, ActivationsCommand::new, BalanceCommand::new);

  /** The customer's travel eSIMs, through the Java SDK like the other customer commands. */
  private static final Group ESIM = new Group("esim", "Travel eSIMs paid from your wallet.",
      List.of(EsimPlansCommand::new, EsimOrderCommand::new));

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
    cli.addSubcommand(new AuditLog());
    CUSTOMER_COMMANDS.forEach(command -> cli.addSubcommand(command.get()));
    cli.addSubcommand(ESIM.name(), groupCommand(ESIM));
    cli.addSubcommand(new CompletionCommand());
    cli.setCaseInsensitiveEnumValuesAllowed(true);
    // An argument @FILE stands for FILE's lines, one argument each, as they are (blank and '#' lines skipped): a
    // secret such as --admin-token @/run/secrets/token stays out of ps and shell history.
    cli.setUseSimplifiedAtFiles(true);
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
