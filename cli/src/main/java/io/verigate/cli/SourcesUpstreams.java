package io.verigate.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import picocli.CommandLine.Command;

@Command(name = "upstreams", description = "List the upstream providers this node resells from: each one's balance, "
    + "circuit and latest failures.")
final class SourcesUpstreams extends OperatorCommand {
  private static final Table TABLE = new Table().column("NAME", "name").column("PROTOCOL", "protocol")
      .column("BASE URL", "baseUrl").column("BALANCE", "balance").column("CIRCUIT", "circuit");

  @Override
  JsonNode request(AdminClient admin) {
    return admin.get("/admin/v1/upstreams");
  }

  /** The table, then each upstream's missing balance and latest failures, newest first. */
  @Override
  void print(JsonNode upstreams, PrintWriter out) {
    TABLE.print(upstreams, out);
    for (JsonNode upstream : upstreams) {
      String name = upstream.path("name").asText();
      if (upstream.hasNonNull("balanceError")) {
        out.println(name + ": no balance: " + upstream.get("balanceError").asText());
      }
      for (JsonNode failure : upstream.path("recentFailures")) {
        out.println(name + ": " + failure.path("at").asText() + " " + failure.path("operation").asText() + " "
            + failure.path("reason").asText() + ": " + failure.path("message").asText());
      }
    }
  }
}
