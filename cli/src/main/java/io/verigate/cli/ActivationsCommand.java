package io.verigate.cli;

import io.verigate.client.ActivationPage;
import io.verigate.client.ListFilter;
import io.verigate.client.VerigateClient;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "activations", description = "List your recent activations, newest first.")
final class ActivationsCommand extends CustomerCommand {
  private static final Table TABLE = new Table()
      .column("ID", "id")
      .column("NUMBER", "phoneNumber")
      .column("SERVICE", "serviceCode")
      .column("COUNTRY", "countryIso")
      .column("STATUS", "status")
      .column("CODE", "code")
      .column("COST", "userCost")
      .column("CREATED", "createdAt");

  @Option(names = "--status", paramLabel = "STATUS", description = "only these: WAITING, RECEIVED, FINISHED, CANCELED, "
      + "EXPIRED or BANNED")
  String status;

  @Option(names = "--service", paramLabel = "SERVICE", description = "only this service, e.g. wa or whatsapp")
  String service;

  @Option(names = "--country", paramLabel = "COUNTRY", description = "only this country, e.g. us")
  String country;

  @Option(names = "--limit", paramLabel = "N", description = "at most N (the node's default when not given)")
  Integer limit;

  @Option(names = "--before", paramLabel = "ID", description = "only activations older than this id, for the next page")
  Integer before;

  @Override
  int run(VerigateClient client) {
    ListFilter filter = new ListFilter(status, service, country, before, limit);
    show(client.activations(filter), this::print);
    return 0;
  }

  private void print(ActivationPage page, PrintWriter out) {
    TABLE.print(tree(page.items()), out);
    if (page.nextBefore() != null) {
      out.println("older activations: verigate activations --before " + page.nextBefore());
    }
  }
}
