package io.verigate.cli;

import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code verigate completion}: the bash (and zsh) completion script of every command and option, from picocli. */
@Command(name = "completion", mixinStandardHelpOptions = true,
    description = {"Print a bash completion script for verigate (zsh reads it too, after 'autoload -U bashcompinit "
        + "&& bashcompinit').", "Load it now with: source <(verigate completion)",
        "or install it: verigate completion > /etc/bash_completion.d/verigate"})
final class CompletionCommand implements Runnable {
  @Spec
  CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().getOut().print(AutoComplete.bash("verigate", spec.root().commandLine()));
    spec.commandLine().getOut().flush();
  }
}
