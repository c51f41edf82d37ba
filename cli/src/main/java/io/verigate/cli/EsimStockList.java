package io.verigate.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import picocli.CommandLine.Command;

@Command(name = "list", description = {"List every eSIM plan with its free profiles in the operator's own stock.",
    "Sandbox plans are served by synthetic profiles and show no stock."})
final class EsimStockList extends OperatorCommand {
  private static final Table TABLE = new Table().column("PLAN", "id").column("TYPE", "type")
      .column("COUNTRIES", "countries").column("DATA MB", "dataMb").column("DAYS", "validityDays")
      .column("PRICE", "price").column("ON SALE", "enabled").column("SANDBOX", "sandbox")
      .column("SUPPLIER PACKAGE", "supplierPackageId").column("FREE", "stock");

  @Override
  JsonNode request(AdminClient admin) {
    return admin.get("/admin/v1/esims/plans");
  }

  @Override
  void print(JsonNode plans, PrintWriter out) {
    TABLE.print(plans, out);
  }
}
