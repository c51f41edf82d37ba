package io.verigate.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "create", description = "Create a customer account.")
final class CustomersCreate extends OperatorCommand {
  @Option(names = "--name", required = true, paramLabel = "NAME", description = "the customer's name")
  String name;

  @Override
  JsonNode request(AdminClient admin) {
    return admin.post("/admin/v1/customers", AdminClient.body().put("name", name));
  }

  @Override
  void print(JsonNode customer, PrintWriter out) {
    out.println("Created customer " + customer.path("id").asText() + " (" + customer.path("name").asText() + ").");
  }
}
