package io.verigate.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "revoke", description = "Revoke an API key; requests with it are refused from now on.")
final class KeysRevoke extends OperatorCommand {
  @Parameters(paramLabel = "KEY_ID", description = "the key's id, as `keys list` shows it")
  String keyId;

  @Override
  JsonNode request(AdminClient admin) {
    return admin.delete("/admin/v1/keys/" + AdminClient.encode(keyId));
  }

  @Override
  void print(JsonNode nothing, PrintWriter out) {
    out.println("Revoked key " + keyId + ".");
  }
}
