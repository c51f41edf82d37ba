package io.verigate.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
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
    JsonNode health = source.path("health");
    out.println(source.path("name").asText() + " (id " + source.path("id").asText() + ", type " + source.path("type").asText() + ")");
    out.println("  messages:     " + health.path("messages").asText() + " (last " + orDash(health.path("lastMessageAt")) + ")");
    out.println("  duplicates:   " + health.path("duplicates").asText());
    out.println("  rejected:     " + health.path("rejected").asText());
    out.println("  last error:   " + orDash(health.path("lastError")) + " (" + orDash(health.path("lastErrorAt")) + ")");
    if (source.hasNonNull("smpp")) {
      out.println("  smpp link:    " + orDash(source.at("/smpp/linkState")) + " since " + orDash(source.at("/smpp/linkStateSince"))
          + ", " + source.at("/smpp/binds").asText() + " binds");
    }
    if (source.hasNonNull("agent")) {
      out.println("  agent:        offers " + source.at("/agent/offered").asText() + ", "
          + source.at("/agent/finishesPending").asText() + " finishes pending");
    }
  }

  private static String orDash(JsonNode value) {
    return value.isMissingNode() || value.isNull() ? "-" : value.asText();
  }
}
