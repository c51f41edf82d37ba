package io.verigate.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import picocli.CommandLine.Command;

@Command(name = "list", description = "List the prices the operator has set; everything else costs the default price.")
final class PricesList extends OperatorCommand {
  private static final Table TABLE = new Table().column("SERVICE", "service").column("COUNTRY", "country")
      .column("OPERATOR", "operator").column("PRICE", "price").column("CURRENCY", "currency");

  @Override
  JsonNode request(AdminClient admin) {
    return admin.get("/admin/v1/prices");
  }

  @Override
  void print(JsonNode prices, PrintWriter out) {
    TABLE.print(prices, out);
  }
}
