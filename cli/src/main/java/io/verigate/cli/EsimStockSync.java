package io.verigate.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import picocli.CommandLine.Command;

@Command(name = "sync", description = {"Sync Airalo's packages into the eSIM plan catalog now, priced by the node's "
    + "esim-airalo-price-rule.", "The node also does this every esim-airalo-sync-interval; packages Airalo no longer "
    + "lists are withdrawn from sale, not deleted."})
final class EsimStockSync extends OperatorCommand {
  @Override
  JsonNode request(AdminClient admin) {
    return admin.post("/admin/v1/esims/catalog/sync", AdminClient.body());
  }

  @Override
  void print(JsonNode synced, PrintWriter out) {
    out.printf("Synced the eSIM catalog from Airalo: added %d, updated %d, withdrawn %d, skipped %d.%n",
        synced.path("added").asInt(), synced.path("updated").asInt(), synced.path("withdrawn").asInt(),
        synced.path("skipped").asInt());
  }
}
