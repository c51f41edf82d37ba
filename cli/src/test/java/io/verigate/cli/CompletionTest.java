package io.verigate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code verigate completion} prints a script that bash itself loads and completes with. */
class CompletionTest {
  @TempDir
  Path dir;

  @Test
  void printsABashScriptForTheVerigateCommand() {
    CliRun run = CliRun.of("completion");

    assertThat(run.exitCode()).isZero();
    assertThat(run.err()).isEmpty();
    assertThat(run.out()).startsWith("#!/usr/bin/env bash").contains("complete -F _complete_verigate");
  }

  @Test
  void bashCompletesCommandsSubcommandsAndTheirOptionsWithIt() throws IOException, InterruptedException {
    Path script = Files.writeString(dir.resolve("verigate-completion"), CliRun.of("completion").out());

    assertThat(complete(script, "verigate", "se")).contains("serve").doesNotContain("keys");
    assertThat(complete(script, "verigate", "keys", "r")).contains("revoke", "rotate");
    assertThat(complete(script, "verigate", "serve", "--shutdown")).contains("--shutdown-grace");
    assertThat(complete(script, "verigate", "serve", "--admin-token")).contains("--admin-token", "--admin-token-file");
    assertThat(complete(script, "verigate", "ba")).containsExactly("balance");
    assertThat(complete(script, "verigate", "number", "--c")).contains("--country", "--cancel-on-timeout", "--config");
  }

  /** What bash offers for the last word of {@code words}, as it would on a TAB. */
  private List<String> complete(Path script, String... words) throws IOException, InterruptedException {
    String program = "source '" + script + "'\n"
        + "COMP_WORDS=(" + String.join(" ", words) + ")\n"
        + "COMP_CWORD=" + (words.length - 1) + "\n"
        + "COMP_LINE='" + String.join(" ", words) + "'\n"
        + "COMP_POINT=${#COMP_LINE}\n"
        + "_complete_verigate\n"
        + "printf '%s\\n' \"${COMPREPLY[@]}\"\n";
    Process bash = new ProcessBuilder("bash", "-c", program).redirectErrorStream(true).start();
    String out = new String(bash.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(bash.waitFor(20, TimeUnit.SECONDS)).isTrue();
    assertThat(bash.exitValue()).as(out).isZero();
    return out.lines().map(String::trim).filter(line -> !line.isEmpty()).toList();
  }
}
