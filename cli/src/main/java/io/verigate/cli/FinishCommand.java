package io.verigate.cli;

import io.verigate.client.Activation;
import io.verigate.client.VerigateClient;
import java.io.PrintWriter;
import picocli.CommandLine.Command;

@Command(name = "finish", description = "Confirm that an activation's code worked; this is when its price is charged.")
final class FinishCommand extends ActivationCommand {
  @Override
  Activation call(VerigateClient client, int id) {
    return client.finish(id);
  }

  @Override
  void print(Activation activation, PrintWriter out) {
    out.println(ActivationText.finished(activation));
  }
}
