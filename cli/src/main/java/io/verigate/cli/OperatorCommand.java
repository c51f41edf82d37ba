package io.verigate.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The shape of every operator command: one call to the node's admin API, then its reply printed for a person
 * or, with {@code --json}, as the server sent it. Failures travel as {@link OperatorFailure}s to Main's handler.
 */
@Command(mixinStandardHelpOptions = true, sortOptions = false)
abstract class OperatorCommand implements Callable<Integer> {
  @Mixin
  AdminConnection connection;

  @Option(names = "--json", order = AdminConnection.HELP_ORDER + 3,
      description = "print the server's JSON reply instead of text")
  boolean json;

  @Spec
  CommandSpec spec;

  /** Calls the admin API; returns its reply, or null when the reply has no body. */
  abstract JsonNode request(AdminClient admin);

  /** Prints the reply for a person. */
  abstract void print(JsonNode reply, PrintWriter out);

  /** The secret this command's reply carries, such as "API key"; the server keeps only its hash. */
  Optional<String> secretInReply() {
    return Optional.empty();
  }

  @Override
  public final Integer call() {
    JsonNode reply = request(connection.client());
    PrintWriter out = spec.commandLine().getOut();
    if (!json) {
      print(reply, out);
    } else if (reply != null) {
      out.println(AdminClient.pretty(reply));
    }
    out.flush();
    secretInReply().ifPresent(this::warnShownOnce);
    return 0;
  }

  /** This reply is the operator's one chance to copy the secret; on stderr, so that --json output stays machine-readable. */
  private void warnShownOnce(String secret) {
    PrintWriter err = spec.commandLine().getErr();
    err.println("verigate: store the " + secret + " now: it is shown only once and cannot be recovered.");
    err.flush();
  }
}
