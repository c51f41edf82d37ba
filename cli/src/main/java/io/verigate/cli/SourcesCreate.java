package io.verigate.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "create", description = "Create a number source: a gateway that owns numbers and pushes their SMS. "
    + "Its push token is printed once and never again.")
final class SourcesCreate extends OperatorCommand {
  @Option(names = "--name", required = true, paramLabel = "NAME", description = "letters, digits, '.', '_' or '-'")
  String name;

  @Option(names = "--type", paramLabel = "TYPE", description = "what kind of gateway it is (default: http)")
  String type;

  @Override
  JsonNode request(AdminClient admin) {
    return admin.post("/admin/v1/sources", AdminClient.body().put("name", name).put("type", type));
  }

  @Override
  void print(JsonNode source, PrintWriter out) {
    out.println("Created source " + source.path("name").asText() + " (id " + source.path("id").asText() + ", type "
        + source.path("type").asText() + "). Its push token:");
    out.println(source.path("token").asText());
  }

  @Override
  Optional<String> secretInReply() {
    return Optional.of("push token");
  }
}
