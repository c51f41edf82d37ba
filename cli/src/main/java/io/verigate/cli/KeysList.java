package io.verigate.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "list", description = "List a customer's API keys (ids and labels; the keys themselves are never shown again).")
final class KeysList extends OperatorCommand {
  private static final Table TABLE = new Table().column("KEY ID", "keyId").column("MODE", "mode").column("LABEL", "label")
      .column("STATE", "state").column("SCOPES", "scopes").column("ALLOWED IPS", "allowedIps")
      .column("CREATED", "createdAt").column("EXPIRES", "expiresAt").column("LAST USED", "lastUsedAt");

  @Option(names = "--customer", required = true, paramLabel = "ID", description = "the customer's id")
  long customer;

  @Override
  JsonNode request(AdminClient admin) {
    return admin.get("/admin/v1/customers/" + customer + "/keys");
  }

  @Override
  void print(JsonNode keys, PrintWriter out) {
    TABLE.print(keys, out);
  }
}
