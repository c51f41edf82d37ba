package io.verigate.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The wallet commands: both name one of a customer's two wallets and answer with its balance. */
abstract class WalletCommand extends OperatorCommand {
  @Option(names = "--customer", required = true, paramLabel = "ID", description = "the customer's id")
  long customer;

  @Mixin
  ModeOption mode;

  String walletPath() {
    return "/admin/v1/customers/" + customer + "/wallet";
  }

  @Override
  void print(JsonNode balance, PrintWriter out) {
    String currency = " " + balance.path("currency").asText();
    out.println("Customer " + customer + " " + mode.value() + " wallet: " + balance.path("balance").asText() + currency
        + " available, " + balance.path("held").asText() + currency + " held.");
  }
}
