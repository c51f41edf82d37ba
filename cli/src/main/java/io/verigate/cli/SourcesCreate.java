package io.verigate.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "create", description = "Create a number source: a gateway, SIM bank or SMSC link that owns numbers and "
    + "delivers their SMS. Its secret (push token, signing key or agent key) is printed once and never again.")
final class SourcesCreate extends OperatorCommand {
  /** The secrets a creation reply may carry, by field, with how the operator should read them. */
  private static final Map<String, String> SECRETS = Map.of(
      "token", "push token (Bearer for POST /api/v1/inbound/sms)",
      "signingKey", "webhook signing key (set it in the Android gateway app)",
      "agentKey", "agent key (set it in the SIM bank's SMSHub agent)");

  @Option(names = "--name", required = true, paramLabel = "NAME", description = "letters, digits, '.', '_' or '-'")
  String name;

  @Option(names = "--type", paramLabel = "TYPE",
      description = "http (default), android, twilio, vonage, smshub, smpp, or any other label for a generic gateway")
  String type;

  @Mixin
  SourceSettingsOptions settings;

  @Override
  JsonNode request(AdminClient admin) {
    ObjectNode body = AdminClient.body().put("name", name).put("type", type);
    return admin.post("/admin/v1/sources", body.setAll(settings.given()));
  }

  @Override
  void print(JsonNode source, PrintWriter out) {
    out.println("Created source " + source.path("name").asText() + " (id " + source.path("id").asText() + ", type "
        + source.path("type").asText() + ").");
    SECRETS.forEach((field, meaning) -> {
      if (source.hasNonNull(field)) {
        out.println("Its " + meaning + ":");
        out.println(source.get(field).asText());
      }
    });
  }

  @Override
  Optional<String> secretInReply() {
    return Optional.of("source's secret");
  }
}
