package io.verigate.cli;

import io.verigate.client.Activation;
import io.verigate.client.VerigateClient;
import java.io.PrintWriter;
import picocli.CommandLine.Command;

@Command(name = "status", description = "Show one of your activations: its number, status and code.")
final class StatusCommand extends ActivationCommand {
  @Override
  Activation call(VerigateClient client, int id) {
    return client.activation(id);
  }

  @Override
  void print(Activation activation, PrintWriter out) {
    ActivationText.details(activation, out);
  }
}
