package io.verigate.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "list", description = "List a customer's webhook endpoints of both modes (never their secrets).")
final class WebhooksList extends OperatorCommand {
  private static final Table TABLE = new Table().column("ID", "id").column("MODE", "mode").column("URL", "url")
      .column("EVENTS", "eventTypes").column("FORMAT", "format").column("ENABLED", "enabled")
      .column("DISABLED BECAUSE", "disabledReason").column("FAILING SINCE", "failingSince");

  @Option(names = "--customer", required = true, paramLabel = "ID", description = "the customer's id")
  long customer;

  @Override
  JsonNode request(AdminClient admin) {
    return admin.get("/admin/v1/customers/" + customer + "/webhooks");
  }

  @Override
  void print(JsonNode reply, PrintWriter out) {
    TABLE.print(reply.path("items"), out);
  }
}
