package io.verigate.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "show", description = "Show a number source's settings (never its secrets) and its delivery health.")
final class SourcesShow extends OperatorCommand {
  @Parameters(paramLabel = "NAME", description = "the source's name")
  String name;

  @Override
  JsonNode request(AdminClient admin) {
    return admin.get("/admin/v1/sources/" + AdminClient.encode(name));
  }

  @Override
  void print(JsonNode source, PrintWriter out) {
    printSource(source, out);
  }

  /** A source as the admin API shows it: its settings, the secrets only as set, and its health. */
  static void printSource(JsonNode source, PrintWriter out) {
    String type = source.path("type").asText();
    out.println(source.path("name").asText() + " (id " + source.path("id").asText() + ", type " + type + ")");
    if (source.path("signingSecretSet").asBoolean()) {
      line(out, type.equals("twilio") ? "auth token" : "signing key", "set");
    }
    if (source.hasNonNull("allowUnsigned")) {
      line(out, "unsigned", source.path("allowUnsigned").asBoolean() ? "taken while no signature secret is set" : "refused");
    }
    if (source.hasNonNull("webhookUrl")) {
      line(out, "webhook url", source.path("webhookUrl").asText());
    }
    if (!source.path("sims").isEmpty()) {
      List<String> sims = new ArrayList<>();
      source.path("sims").properties().forEach(sim -> sims.add(sim.getKey() + "=" + sim.getValue().asText()));
      line(out, "sims", String.join(", ", sims));
    }
    if (source.hasNonNull("smpp")) {
      JsonNode smpp = source.get("smpp");
      line(out, "smpp link", smpp.path("host").asText() + ":" + smpp.path("port").asText() + " as "
          + smpp.path("systemId").asText() + " (" + smpp.path("bindType").asText() + "), enquire_link "
          + smpp.path("enquireLinkSeconds").asText() + " s, reassembly " + smpp.path("reassemblySeconds").asText()
          + " s");
      line(out, "smpp bind", orDash(smpp.path("linkState")) + " since " + orDash(smpp.path("linkStateSince")) + ", "
          + smpp.path("binds").asText() + " binds");
    }
    if (source.hasNonNull("agent")) {
      JsonNode agent = source.get("agent");
      line(out, "agent", agent.path("url").asText() + " (key set), offers " + agent.path("offered").asText() + ", "
          + agent.path("finishesPending").asText() + " finishes pending");
    }
    JsonNode health = source.path("health");
    line(out, "messages", health.path("messages").asText() + " (last " + orDash(health.path("lastMessageAt")) + ")");
    line(out, "duplicates", health.path("duplicates").asText());
    line(out, "rejected", health.path("rejected").asText());
    line(out, "last error", orDash(health.path("lastError")) + " (" + orDash(health.path("lastErrorAt")) + ")");
  }

  private static void line(PrintWriter out, String label, String value) {
    out.printf("  %-14s%s%n", label + ":", value);
  }

  private static String orDash(JsonNode value) {
    return value.isMissingNode() || value.isNull() ? "-" : value.asText();
  }
}
