package io.verigate.cli;

import io.verigate.client.Activation;
import io.verigate.client.VerigateClient;
import java.io.PrintWriter;
import picocli.CommandLine.Parameters;

/** A customer command about one activation: one SDK call by its id, then the activation as that call left it. */
abstract class ActivationCommand extends CustomerCommand {
  @Parameters(paramLabel = "ID", description = "the activation's id, as 'verigate number' and 'verigate activations' show it")
  int id;

  abstract Activation call(VerigateClient client, int id);

  abstract void print(Activation activation, PrintWriter out);

  @Override
  final int run(VerigateClient client) {
    show(call(client, id), this::print);
    return 0;
  }
}
