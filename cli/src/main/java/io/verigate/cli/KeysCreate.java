package io.verigate.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "create", description = "Issue an API key to a customer. The key is printed once and never again.")
final class KeysCreate extends OperatorCommand {
  @Option(names = "--customer", required = true, paramLabel = "ID", description = "the customer's id")
  long customer;

  @Mixin
  ModeOption mode;

  @Option(names = "--label", paramLabel = "LABEL", description = "a note telling the customer's keys apart (default: default)")
  String label;

  @Override
  JsonNode request(AdminClient admin) {
    return admin.post("/admin/v1/customers/" + customer + "/keys",
        AdminClient.body().put("mode", mode.value()).put("label", label));
  }

  @Override
  void print(JsonNode key, PrintWriter out) {
    out.println("Created " + mode.value() + " key " + key.path("keyId").asText() + " for customer " + customer
        + " (label: " + key.path("label").asText() + "):");
    out.println(key.path("key").asText());
  }

  @Override
  Optional<String> secretInReply() {
    return Optional.of("API key");
  }
}
