package io.verigate.cli;

import io.verigate.client.VerigateClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "plans", description = "List the travel eSIM plans you can order, cheapest first.")
final class EsimPlansCommand extends CustomerCommand {
  private static final Table TABLE = new Table()
      .column("PLAN", "id")
      .column("NAME", "name")
      .column("TYPE", "type")
      .column("DATA MB", "dataMb")
      .column("DAYS", "validityDays")
      .column("PRICE", "price")
      .column("CURRENCY", "currency");

  @Option(names = "--country", paramLabel = "COUNTRY", description = "only plans that work in this country, e.g. gr")
  String country;

  @Override
  int run(VerigateClient client) {
    show(client.esimPlans(country), (plans, out) -> TABLE.print(tree(plans), out));
    return 0;
  }
}
