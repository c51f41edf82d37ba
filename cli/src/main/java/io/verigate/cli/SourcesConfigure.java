package io.verigate.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

@Command(name = "configure", description = {"Change a number source's settings: rotate a key, remap SIMs, move an SMPP "
    + "link or an SMSHub agent.", "Only the settings given change. A new secret is never printed back."})
final class SourcesConfigure extends OperatorCommand {
  @Option(names = "--name", required = true, paramLabel = "NAME", description = "the source's name")
  String name;

  @Mixin
  SourceSettingsOptions settings;

  @Override
  JsonNode request(AdminClient admin) {
    ObjectNode changes = settings.given();
    if (changes.isEmpty()) {
      throw new ParameterException(spec.commandLine(), "nothing to change: give at least one setting, "
          + "such as --signing-key, --port or --agent-url");
    }
    return admin.patch("/admin/v1/sources/" + AdminClient.encode(name), changes);
  }

  @Override
  void print(JsonNode source, PrintWriter out) {
    SourcesShow.printSource(source, out);
  }
}
