package io.verigate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.verigate.server.system.Config;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

class HelpTest {

  /** Every command path below {@code verigate}, e.g. {@code [keys, create]}, found by walking the real command tree. */
  static Stream<List<String>> everyCommand() {
    List<List<String>> paths = new ArrayList<>();
    collect(Main.commandLine(), List.of(), paths);
    return paths.stream();
  }

  private static void collect(CommandLine command, List<String> path, List<List<String>> paths) {
    command.getSubcommands().forEach((name, sub) -> {
      if (!name.equals("help")) {
        List<String> subPath = new ArrayList<>(path);
        subPath.add(name);
        paths.add(subPath);
        collect(sub, subPath, paths);
      }
    });
  }

  @ParameterizedTest
  @MethodSource("everyCommand")
  void everyCommandExplainsItselfWithHelp(List<String> path) {
    List<String> args = new ArrayList<>(path);
    args.add("--help");

    CliRun run = CliRun.of(args.toArray(String[]::new));

    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).startsWith("Usage: verigate " + String.join(" ", path));
    assertThat(run.err()).isEmpty();
  }

  @Test
  void everyOperatorCommandIsRegistered() {
    assertThat(everyCommand().map(path -> String.join(" ", path))).contains(
        "customers create", "customers list", "keys create", "keys list", "keys revoke", "wallet credit", "wallet show",
        "sources create", "sources configure", "sources list", "sources show", "sources upstreams", "numbers import", "prices set",
        "prices list", "audit");
  }

  @Test
  void everyCustomerCommandIsRegisteredBesideTheOperators() {
    assertThat(everyCommand().map(path -> String.join(" ", path))).contains(
        "number", "status", "finish", "cancel", "resend", "activations", "balance", "numbers import", "wallet show");
  }

  @Test
  void serveHelpListsEveryConfigurationKey() {
    CliRun run = CliRun.of("serve", "--help");

    assertThat(run.exitCode()).isZero();
    assertThat(Config.keys()).isNotEmpty();
    Config.keys().keySet().forEach(key -> assertThat(run.out()).contains("--" + key + "="));
  }

  @Test
  void everyServeOptionIsDescribedWithItsDefault() {
    CommandLine serve = Main.commandLine().getSubcommands().get("serve");
    List<String> described = new ArrayList<>();
    serve.getCommandSpec().options().forEach(option -> {
      String name = option.longestName();
      if (name.equals("--help") || name.equals("--version")) {
        return;
      }
      String description = String.join(" ", option.description());
      assertThat(description).as(name).contains("Default: ").endsWith(".");
      assertThat(description.substring(0, description.indexOf("Default: ")).trim()).as(name)
          .isNotEqualToIgnoringCase(name.substring(2)).hasSizeGreaterThan(name.length());
      described.add(name.substring(2));
    });
    assertThat(described).containsAll(Config.keys().keySet()).contains("config");

    // picocli wraps the descriptions into a column
    String help = CliRun.of("serve", "--help").out().replaceAll("\\s+", " ");
    assertThat(help).contains("a flag wins over the environment, which wins over the file")
        .contains("HTTP port; 0 picks a free one. Default: 7070.")
        .contains("once 10 have an outcome") // a percent sign in a description survives picocli's formatting
        .contains("e.g. 7%/24h/10: refuse purchases while under 7 % of");
  }

  @Test
  void versionIsTheMavenProjectVersion() {
    CliRun run = CliRun.of("--version");

    assertThat(run.exitCode()).isZero();
    assertThat(run.out().trim()).isEqualTo("verigate " + System.getProperty("verigate.project.version"));
  }

  @Test
  void aGroupWithoutItsSubcommandIsAUsageError() {
    CliRun run = CliRun.of("keys");

    assertThat(run.exitCode()).isEqualTo(Main.USAGE);
    assertThat(run.err()).contains("Missing required subcommand").contains("create").contains("revoke");
  }

  @Test
  void aMissingRequiredOptionIsAUsageErrorNamingIt() {
    CliRun run = CliRun.of("keys", "create", "--admin-token", "unused");

    assertThat(run.exitCode()).isEqualTo(Main.USAGE);
    assertThat(run.err()).startsWith("verigate: Missing required option: '--customer=ID'");
  }

  @Test
  void anUnknownModeIsAUsageError() {
    CliRun run = CliRun.of("wallet", "show", "--customer", "1", "--mode", "demo", "--admin-token", "unused");

    assertThat(run.exitCode()).isEqualTo(Main.USAGE);
    assertThat(run.err()).contains("--mode").contains("demo");
  }

  @Test
  void aUrlThatIsNotHttpIsAUsageError() {
    CliRun run = CliRun.of("customers", "list", "--url", "localhost:7070", "--admin-token", "unused");

    assertThat(run.exitCode()).isEqualTo(Main.USAGE);
    assertThat(run.err()).startsWith("verigate: --url must be an http:// or https:// URL, got 'localhost:7070'");
  }
}
