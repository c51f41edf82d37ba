package io.verigate.cli;

import io.verigate.client.Activation;
import io.verigate.client.VerigateClient;
import java.io.PrintWriter;
import picocli.CommandLine.Command;

@Command(name = "resend", description = "Ask for another code on the same number; the activation waits again.")
final class ResendCommand extends ActivationCommand {
  @Override
  Activation call(VerigateClient client, int id) {
    return client.resend(id);
  }

  @Override
  void print(Activation activation, PrintWriter out) {
    out.println("Activation " + activation.id() + " (" + activation.phoneNumber() + ") is " + activation.status()
        + " for another code: verigate status " + activation.id());
  }
}
