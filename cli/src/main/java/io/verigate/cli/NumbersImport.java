package io.verigate.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "import", description = {"Import phone numbers into a source from a CSV file.",
    "One number per line, or number,operator; a header line is skipped. The country comes from the number."})
final class NumbersImport extends OperatorCommand {
  @Option(names = "--source", required = true, paramLabel = "NAME", description = "the source the numbers belong to")
  String source;

  @Option(names = "--operator", paramLabel = "OP", description = "the operator of lines that name none (default: any)")
  String operator;

  @Parameters(paramLabel = "FILE.csv", description = "the numbers")
  Path file;

  @Override
  JsonNode request(AdminClient admin) {
    String query = "?source=" + AdminClient.encode(source)
        + (operator == null ? "" : "&operator=" + AdminClient.encode(operator));
    return admin.postCsv("/admin/v1/numbers/import" + query, csv());
  }

  private String csv() {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new OperatorFailure(Main.NO_INPUT, "no such file: " + file);
    } catch (IOException e) {
      throw new OperatorFailure(Main.NO_INPUT, "cannot read " + file + ": " + e);
    }
  }

  @Override
  void print(JsonNode result, PrintWriter out) {
    JsonNode rejected = result.path("rejected");
    out.println("Imported " + file.getFileName() + " into " + source + ": added " + result.path("added").asInt()
        + ", duplicates " + result.path("duplicates").asInt() + ", rejected " + rejected.size() + ".");
    rejected.forEach(line -> out.println("rejected: " + line.asText()));
  }
}
