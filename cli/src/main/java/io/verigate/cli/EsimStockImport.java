package io.verigate.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "import", description = {"Import eSIM profiles into a plan's stock from a CSV file.",
    "One profile per line: ICCID,activation code[,confirmation code], the activation code as LPA:1$<SM-DP+>$<matching id>.",
    "A first line naming the columns (starting with 'iccid') is skipped; any other line that is not a profile refuses "
        + "the whole file, so nothing is imported twice when it is fixed and imported again."})
final class EsimStockImport extends OperatorCommand {
  /** The most profiles the node takes in one request; a longer file goes in several. */
  static final int BATCH = 1000;
  private static final Pattern PROFILE_INDEX = Pattern.compile("^profiles\\[(\\d+)]: ");

  @Option(names = "--plan", required = true, paramLabel = "PLAN", description = "the plan the profiles belong to")
  String plan;

  @Parameters(paramLabel = "FILE.csv", description = "the profiles")
  Path file;

  private record Line(int number, ObjectNode profile) {}

  @Override
  JsonNode request(AdminClient admin) {
    List<Line> lines = profiles();
    int imported = 0;
    int duplicates = 0;
    JsonNode last = null;
    for (int from = 0; from < lines.size(); from += BATCH) {
      List<Line> batch = lines.subList(from, Math.min(lines.size(), from + BATCH));
      ObjectNode body = JsonNodeFactory.instance.objectNode();
      ArrayNode profiles = body.putArray("profiles");
      batch.forEach(line -> profiles.add(line.profile()));
      try {
        last = admin.post("/admin/v1/esims/plans/" + AdminClient.encode(plan) + "/profiles", body);
      } catch (OperatorFailure refused) {
        throw atLine(refused, batch, imported + duplicates);
      }
      imported += last.path("imported").asInt();
      duplicates += last.path("duplicates").asInt();
    }
    ObjectNode total = JsonNodeFactory.instance.objectNode();
    total.put("imported", imported);
    total.put("duplicates", duplicates);
    total.set("stock", last.path("stock"));
    return total;
  }

  @Override
  void print(JsonNode result, PrintWriter out) {
    out.println("Imported " + file.getFileName() + " into plan " + plan + ": added " + result.path("imported").asInt()
        + ", duplicates " + result.path("duplicates").asInt() + "; free profiles now " + result.path("stock").asText()
        + ".");
  }

  private List<Line> profiles() {
    List<String> text = read();
    List<Line> lines = new ArrayList<>();
    for (int i = 0; i < text.size(); i++) {
      String line = text.get(i).strip();
      if (line.isEmpty() || (i == 0 && line.toLowerCase(Locale.ROOT).startsWith("iccid"))) {
        continue;
      }
      String[] fields = line.split(",", -1);
      if (fields.length < 2 || fields.length > 3) {
        throw new OperatorFailure(Main.DATA_ERROR, file.getFileName() + " line " + (i + 1)
            + ": expected ICCID,activation code[,confirmation code], got '" + line + "'; nothing was imported");
      }
      ObjectNode profile = JsonNodeFactory.instance.objectNode();
      profile.put("iccid", fields[0].strip());
      profile.put("activationCode", fields[1].strip());
      if (fields.length == 3 && !fields[2].isBlank()) {
        profile.put("confirmationCode", fields[2].strip());
      }
      lines.add(new Line(i + 1, profile));
    }
    if (lines.isEmpty()) {
      throw new OperatorFailure(Main.DATA_ERROR, file.getFileName() + " holds no profiles");
    }
    return lines;
  }

  private List<String> read() {
    try {
      return Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new OperatorFailure(Main.NO_INPUT, "no such file: " + file);
    } catch (IOException e) {
      throw new OperatorFailure(Main.NO_INPUT, "cannot read " + file + ": " + e);
    }
  }

  /** The node names a bad profile by its place in the request; the operator needs the line of the file. */
  private OperatorFailure atLine(OperatorFailure refused, List<Line> batch, int alreadyImported) {
    Matcher index = PROFILE_INDEX.matcher(refused.getMessage());
    String where = "";
    String reason = refused.getMessage();
    if (index.find() && Integer.parseInt(index.group(1)) < batch.size()) {
      where = " line " + batch.get(Integer.parseInt(index.group(1))).number();
      reason = reason.substring(index.end());
    }
    String kept = alreadyImported == 0 ? "nothing was imported"
        : "the lines before line " + batch.get(0).number() + " were imported";
    return new OperatorFailure(refused.exitCode(), file.getFileName() + where + ": " + reason + "; " + kept);
  }
}
