package io.verigate.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "audit", description = {"Show the audit log, newest first: who changed customers, keys, wallets, prices,",
    "number sources and numbers, when, and from which address. Changed secrets are named, never shown."})
final class AuditLog extends OperatorCommand {
  private static final Table TABLE = new Table().column("ID", "id").column("TIME", "at").column("ACTOR", "actor")
      .column("ACTION", "action").column("SUBJECT", "subject").column("DETAIL", "detail").column("FROM", "clientAddress");

  @Option(names = "--action", paramLabel = "ACTION",
      description = "only entries of this action, e.g. wallet.credited or source.secret_changed")
  String action;

  @Option(names = "--limit", paramLabel = "N", description = "at most this many entries (1-200; the server's default is 50)")
  Integer limit;

  @Option(names = "--before", paramLabel = "ID", description = "only entries older than this id (to page back)")
  Long before;

  @Override
  JsonNode request(AdminClient admin) {
    List<String> query = new ArrayList<>();
    if (action != null) {
      query.add("action=" + AdminClient.encode(action));
    }
    if (limit != null) {
      query.add("limit=" + limit);
    }
    if (before != null) {
      query.add("before=" + before);
    }
    return admin.get("/admin/v1/audit" + (query.isEmpty() ? "" : "?" + String.join("&", query)));
  }

  @Override
  void print(JsonNode page, PrintWriter out) {
    TABLE.print(page.get("items"), out);
    JsonNode next = page.get("nextBefore");
    if (next != null && !next.isNull()) {
      out.println("older entries: verigate audit --before " + next.asLong());
    }
  }
}
