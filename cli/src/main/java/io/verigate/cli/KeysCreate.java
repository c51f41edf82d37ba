package io.verigate.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.util.List;
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

  @Option(names = "--scopes", paramLabel = "SCOPES", split = ",",
      description = "what the key may do, comma-separated: read, buy, keys (default: all three)")
  List<String> scopes = List.of();

  @Option(names = "--allow-ip", paramLabel = "CIDR", split = ",",
      description = "addresses the key may be used from, IPv4 or IPv6 CIDR ranges; repeat or comma-separate (default: any)")
  List<String> allowedIps = List.of();

  @Option(names = "--expires", paramLabel = "INSTANT",
      description = "when the key stops working, ISO-8601 such as 2027-01-31T00:00:00Z (default: never)")
  String expiresAt;

  @Override
  JsonNode request(AdminClient admin) {
    ObjectNode body = AdminClient.body().put("mode", mode.value()).put("label", label).put("expiresAt", expiresAt);
    scopes.forEach(body.putArray("scopes")::add);
    allowedIps.forEach(body.putArray("allowedIps")::add);
    return admin.post("/admin/v1/customers/" + customer + "/keys", body);
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
