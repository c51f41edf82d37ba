package io.verigate.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "credit", description = "Credit a customer's wallet, e.g. after a payment.")
final class WalletCredit extends WalletCommand {
  @Option(names = "--amount", required = true, paramLabel = "AMOUNT", description = "a decimal amount such as 25.00")
  String amount;

  @Option(names = "--memo", paramLabel = "MEMO", description = "why, kept in the ledger (e.g. an invoice number)")
  String memo;

  @Override
  JsonNode request(AdminClient admin) {
    return admin.post(walletPath() + "/credit",
        AdminClient.body().put("amount", amount).put("mode", mode.value()).put("memo", memo));
  }
}
