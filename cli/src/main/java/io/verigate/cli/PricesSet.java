package io.verigate.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "set", description = "Set the price of a number for a service in a country, optionally for one operator.")
final class PricesSet extends OperatorCommand {
  @Option(names = "--service", required = true, paramLabel = "SERVICE",
      description = "code or name, e.g. wa or whatsapp; * for all")
  String service;

  @Option(names = "--country", required = true, paramLabel = "COUNTRY",
      description = "ISO code, numeric id or slug, e.g. us; * for all")
  String country;

  @Option(names = "--operator", paramLabel = "OP", description = "only numbers of this operator (default: any)")
  String operator;

  @Option(names = "--price", required = true, paramLabel = "PRICE", description = "a decimal amount such as 0.80")
  String price;

  @Override
  JsonNode request(AdminClient admin) {
    return admin.put("/admin/v1/prices", AdminClient.body()
        .put("service", service).put("country", country).put("operator", operator).put("price", price));
  }

  @Override
  void print(JsonNode rule, PrintWriter out) {
    out.println("Price for " + rule.path("service").asText() + " in " + rule.path("country").asText() + " (operator "
        + rule.path("operator").asText() + "): " + rule.path("price").asText() + " " + rule.path("currency").asText() + ".");
  }
}
