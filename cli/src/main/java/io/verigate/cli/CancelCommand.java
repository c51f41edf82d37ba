package io.verigate.cli;

import io.verigate.client.Activation;
import io.verigate.client.VerigateClient;
import java.io.PrintWriter;
import picocli.CommandLine.Command;

@Command(name = "cancel", description = {"Give a number back before any code arrived; its price is refunded.",
    "The node refuses this for a while after the purchase (its early-cancel guard); exit 75 means try again later."})
final class CancelCommand extends ActivationCommand {
  @Override
  Activation call(VerigateClient client, int id) {
    return client.cancel(id);
  }

  @Override
  void print(Activation activation, PrintWriter out) {
    out.println(ActivationText.refunded(activation));
  }
}
