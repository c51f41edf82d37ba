package io.verigate.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "rotate", description = "Replace an API key by a new one with the same settings; the old key keeps "
    + "working for the overlap. The new key is printed once and never again.")
final class KeysRotate extends OperatorCommand {
  @Parameters(paramLabel = "KEY_ID", description = "the key's id, as `keys list` shows it")
  String keyId;

  @Option(names = "--overlap", paramLabel = "SECONDS", defaultValue = "86400",
      description = "how long the old key keeps working, in seconds (default: ${DEFAULT-VALUE}, one day; 0 ends it now)")
  long overlapSeconds;

  @Override
  JsonNode request(AdminClient admin) {
    return admin.post("/admin/v1/keys/" + AdminClient.encode(keyId) + "/rotate",
        AdminClient.body().put("overlapSeconds", overlapSeconds));
  }

  @Override
  void print(JsonNode key, PrintWriter out) {
    out.println("Rotated key " + keyId + " to " + key.path("keyId").asText() + "; the old key works until "
        + (overlapSeconds == 0 ? "now" : "its overlap ends") + ":");
    out.println(key.path("key").asText());
  }

  @Override
  Optional<String> secretInReply() {
    return Optional.of("API key");
  }
}
