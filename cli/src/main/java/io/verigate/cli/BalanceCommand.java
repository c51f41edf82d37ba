package io.verigate.cli;

import io.verigate.client.VerigateClient;
import picocli.CommandLine.Command;

@Command(name = "balance", description = "Show your wallet: what you can spend and what live activations hold.")
final class BalanceCommand extends CustomerCommand {
  @Override
  int run(VerigateClient client) {
    show(client.balance(), (balance, out) -> {
      String currency = " " + balance.currency();
      out.println("Balance: " + balance.balance().toPlainString() + currency + " available, "
          + balance.held().toPlainString() + currency + " held.");
    });
    return 0;
  }
}
