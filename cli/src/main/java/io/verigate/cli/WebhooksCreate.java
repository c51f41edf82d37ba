package io.verigate.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "create", description = "Register a webhook endpoint for a customer. Its signing secret is printed once "
    + "and never again.")
final class WebhooksCreate extends OperatorCommand {
  @Option(names = "--customer", required = true, paramLabel = "ID", description = "the customer's id")
  long customer;

  @Mixin
  ModeOption mode;

  // A parameter, not --url, which names the node every operator command talks to.
  @Parameters(index = "0", paramLabel = "URL", description = "where events are posted (http or https)")
  String url;

  @Option(names = "--events", paramLabel = "TYPES", split = ",",
      description = "the event types to send, comma-separated, e.g. activation.received (default: every type)")
  List<String> events = List.of();

  @Option(names = "--format", paramLabel = "standard|sms-activate", defaultValue = "standard",
      description = "the body: standard (Standard Webhooks) or sms-activate (received codes only); default "
          + "${DEFAULT-VALUE}")
  String format;

  @Override
  JsonNode request(AdminClient admin) {
    ObjectNode body = AdminClient.body().put("mode", mode.value()).put("url", url).put("format", format);
    events.forEach(body.putArray("eventTypes")::add);
    return admin.post("/admin/v1/customers/" + customer + "/webhooks", body);
  }

  @Override
  void print(JsonNode webhook, PrintWriter out) {
    out.println("Created " + mode.value() + " webhook " + webhook.path("id").asText() + " for customer " + customer
        + " to " + webhook.path("url").asText() + "; its signing secret:");
    out.println(webhook.path("secret").asText());
  }

  @Override
  Optional<String> secretInReply() {
    return Optional.of("webhook signing secret");
  }
}
