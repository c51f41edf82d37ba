package io.verigate.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import picocli.CommandLine.Command;

@Command(name = "list", description = "List customer accounts.")
final class CustomersList extends OperatorCommand {
  private static final Table TABLE = new Table().column("ID", "id").column("NAME", "name").column("CREATED", "createdAt");

  @Override
  JsonNode request(AdminClient admin) {
    return admin.get("/admin/v1/customers");
  }

  @Override
  void print(JsonNode customers, PrintWriter out) {
    TABLE.print(customers, out);
  }
}
