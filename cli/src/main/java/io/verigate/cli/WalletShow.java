package io.verigate.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;

@Command(name = "show", description = "Show a customer's wallet balance.")
final class WalletShow extends WalletCommand {
  @Override
  JsonNode request(AdminClient admin) {
    return admin.get(walletPath() + "?mode=" + mode.value());
  }
}
