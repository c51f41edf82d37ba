package io.verigate.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Command;
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

  @Option(names = "--signing-key", paramLabel = "KEY", description = "android: the app's webhook signing key (generated when absent)")
  String signingKey;

  @Option(names = "--auth-token", paramLabel = "TOKEN", description = "twilio: the account's auth token")
  String authToken;

  @Option(names = "--webhook-url", paramLabel = "URL", description = "twilio: the public URL Twilio posts to and signs")
  String webhookUrl;

  @Option(names = "--signature-secret", paramLabel = "SECRET",
      description = "vonage: the account's signature secret, when Vonage signs its webhooks")
  String signatureSecret;

  @Option(names = "--signature-method", paramLabel = "METHOD",
      description = "vonage: md5hash (default), md5, sha1, sha256 or sha512, as set for the account")
  String signatureMethod;

  @Option(names = "--sim", paramLabel = "SLOT=NUMBER", description = "android: which number each SIM slot holds (repeatable)")
  Map<String, String> sims;

  @Option(names = "--agent-url", paramLabel = "URL", description = "smshub: the agent's protocol endpoint")
  String agentUrl;

  @Option(names = "--agent-key", paramLabel = "KEY", description = "smshub: the agent's protocol key (generated when absent)")
  String agentKey;

  @Option(names = "--host", paramLabel = "HOST", description = "smpp: the SMSC's host")
  String host;

  @Option(names = "--port", paramLabel = "PORT", description = "smpp: the SMSC's port")
  Integer port;

  @Option(names = "--system-id", paramLabel = "ID", description = "smpp: the account's system id")
  String systemId;

  @Option(names = "--password", paramLabel = "PASSWORD", description = "smpp: the account's password")
  String password;

  @Option(names = "--bind-type", paramLabel = "TYPE", description = "smpp: receiver (default) or transceiver")
  String bindType;

  @Override
  JsonNode request(AdminClient admin) {
    ObjectNode body = AdminClient.body().put("name", name).put("type", type)
        .put("signingKey", signingKey).put("authToken", authToken).put("webhookUrl", webhookUrl)
        .put("signatureSecret", signatureSecret).put("signatureMethod", signatureMethod)
        .put("agentUrl", agentUrl).put("agentKey", agentKey)
        .put("host", host).put("port", port).put("systemId", systemId).put("password", password).put("bindType", bindType);
    if (sims != null) {
      body.putPOJO("sims", sims);
    }
    return admin.post("/admin/v1/sources", body);
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
