package io.verigate.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import picocli.CommandLine.Command;

@Command(name = "list", description = "List number sources.")
final class SourcesList extends OperatorCommand {
  private static final Table TABLE = new Table().column("ID", "id").column("NAME", "name").column("TYPE", "type");

  @Override
  JsonNode request(AdminClient admin) {
    return admin.get("/admin/v1/sources");
  }

  @Override
  void print(JsonNode sources, PrintWriter out) {
    TABLE.print(sources, out);
  }
}
