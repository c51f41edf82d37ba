package io.verigate.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.verigate.server.App;
import io.verigate.server.system.Config;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's tour, run as a reader pastes it: every shell block marked {@code <!-- tour -->}, in order, in one
 * {@code bash} whose working directory holds a fresh node's data directory (as after the README's first command),
 * against that node. Two things differ from the reader's terminal, both by substitution: the node listens on a free
 * port instead of 7070 ({@code http://localhost:7070} in the blocks and {@code VERIGATE_URL} for the CLI), and the CLI
 * runs from this build's classes instead of {@code cli/target/verigate.jar}, which the test phase has not built yet.
 * A failed call fails its block: {@code set -e}, {@code pipefail}, and {@code curl} answering an HTTP error with a
 * non-zero exit.
 *
 * <p>Under a command, a comment {@code # {...}} is a JSON object it prints and {@code # > text} a line it prints. The
 * block's output must show them in that order. A JSON object must have exactly the fields shown, or at least them
 * when it ends with {@code ,...}; a value must be equal, except that {@code ...} as a value stands for any value and
 * inside a string for any text. A line must match whole, {@code ...} standing for any text.
 */
class ReadmeTourTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern TOUR_BLOCK = Pattern.compile("<!-- tour -->\\s*\\n```bash\\n(.*?)\\n```", Pattern.DOTALL);
  private static final String README_NODE = "http://localhost:7070";
  private static final String README_CLI = "java -jar cli/target/verigate.jar";
  private static final String BLOCK_MARK = "@@ tour block ";

  @TempDir
  Path workDir;

  @Test
  void everyTourBlockRunsAsPastedAndPrintsWhatTheReadmeShows() throws Exception {
    requireTools("bash", "curl", "jq");
    List<String> blocks = tourBlocks(Files.readString(repositoryRoot().resolve("README.md")));
    assertThat(blocks).as("blocks marked <!-- tour --> in README.md").hasSizeGreaterThanOrEqualTo(4);
    assertThat(String.join("\n", blocks)).as("the tour shows the node's default address and runs the CLI's jar")
        .contains(README_NODE, README_CLI);

    // A fresh node with the defaults a reader gets, its data directory where the README's first command puts it.
    App node = App.create(Config.defaults(Map.of("port", "0", "host", "127.0.0.1",
        "data-dir", workDir.resolve("data").toString(),
        "db-url", "jdbc:h2:mem:tour-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1"))).start();
    try {
      String url = "http://127.0.0.1:" + node.port();
      Run run = bash(script(blocks, url), url);
      List<String> outputs = perBlock(run.out(), blocks.size());
      for (int i = 0; i < blocks.size(); i++) {
        assertThat(i < outputs.size()).as("tour block %d ran; it failed with exit %d:%n%s%nstderr:%n%s",
            i + 1, run.exitCode(), blocks.get(i), run.err()).isTrue();
        checkOutput(i + 1, blocks.get(i), outputs.get(i));
      }
      assertThat(run.exitCode()).as("the last tour block exits 0; stderr:%n%s", run.err()).isZero();
    } finally {
      node.close();
    }
  }

  /** The tour alone, as the reader's terminal would run it, one marker line before each block. */
  private static String script(List<String> blocks, String url) {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    // A short-lived JVM per command: little JIT and a small collector keep eight of them cheap on a busy machine.
    String cli = java + " -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -cp '" + System.getProperty("java.class.path") + "' "
        + Main.class.getName();
    StringBuilder script = new StringBuilder("set -eo pipefail\n")
        .append("curl() { command curl --fail-with-body \"$@\"; }\n");
    for (int i = 0; i < blocks.size(); i++) {
      script.append("printf '\\n").append(BLOCK_MARK).append(i + 1).append("\\n'\n")
          .append(blocks.get(i).replace(README_NODE, url).replace(README_CLI, cli)).append('\n');
    }
    return script.toString();
  }

  private record Run(int exitCode, String out, String err) {}

  private Run bash(String script, String url) throws IOException, InterruptedException {
    Path file = workDir.resolve("tour.sh");
    Files.writeString(file, script);
    ProcessBuilder builder = new ProcessBuilder("bash", file.toString()).directory(workDir.toFile())
        .redirectOutput(workDir.resolve("tour.out").toFile())
        .redirectError(workDir.resolve("tour.err").toFile());
    builder.environment().put("VERIGATE_URL", url);
    builder.environment().remove("VERIGATE_ADMIN_TOKEN");
    Process process = builder.start();
    if (!process.waitFor(5, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      fail("the tour did not end within 5 minutes; its output:%n%s", Files.readString(workDir.resolve("tour.out")));
    }
    return new Run(process.exitValue(), Files.readString(workDir.resolve("tour.out")),
        Files.readString(workDir.resolve("tour.err")));
  }

  /** What each block printed, for the blocks that started. */
  private static List<String> perBlock(String out, int blocks) {
    List<String> outputs = new ArrayList<>();
    for (int i = 1; i <= blocks; i++) {
      int start = out.indexOf(BLOCK_MARK + i + "\n");
      if (start < 0) {
        break;
      }
      start += (BLOCK_MARK + i + "\n").length();
      int end = out.indexOf("\n" + BLOCK_MARK + (i + 1) + "\n", start);
      outputs.add(out.substring(start, end < 0 ? out.length() : end));
    }
    return outputs;
  }

  private static void checkOutput(int number, String block, String output) {
    int at = 0;
    for (String line : block.split("\n")) {
      String trimmed = line.strip();
      if (trimmed.startsWith("# {")) {
        at = matchJson(trimmed.substring(2), output, at, number);
      } else if (trimmed.startsWith("# > ")) {
        at = matchLine(line.substring(line.indexOf("# > ") + 4), output, at, number);
      }
    }
  }

  /** Finds the first JSON object from {@code from} on that the template matches; returns where it ends. */
  private static int matchJson(String template, String output, int from, int block) {
    boolean open = template.matches(".*,\\s*\\.\\.\\.\\s*}$");
    String json = template.replaceAll(",\\s*\\.\\.\\.\\s*}$", "}").replaceAll(":\\s*\\.\\.\\.(?=\\s*[,}])", ":\"...\"");
    JsonNode expected;
    try {
      expected = JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new AssertionError("tour block " + block + ": the README's output line is no JSON object: " + template, e);
    }
    for (int start = output.indexOf('{', from); start >= 0; start = output.indexOf('{', start + 1)) {
      try (JsonParser parser = JSON.createParser(output.substring(start))) {
        JsonNode actual = parser.readValueAsTree();
        int end = start + (int) parser.currentLocation().getCharOffset();
        if (matches(expected, actual, open)) {
          return end;
        }
        start = end - 1;
      } catch (IOException notJsonHere) {
        // Not the start of an object: look at the next brace.
      }
    }
    throw new AssertionError("tour block " + block + " does not print what the README shows: " + template
        + "\nit printed from there on:\n" + output.substring(Math.min(from, output.length())));
  }

  private static boolean matches(JsonNode expected, JsonNode actual, boolean open) {
    if (actual == null || !actual.isObject()) {
      return false;
    }
    Set<String> names = new HashSet<>();
    actual.fieldNames().forEachRemaining(names::add);
    Set<String> shown = new HashSet<>();
    expected.fieldNames().forEachRemaining(shown::add);
    if (!open && !names.equals(shown) || !names.containsAll(shown)) {
      return false;
    }
    return shown.stream().allMatch(name -> sameValue(expected.get(name), actual.get(name)));
  }

  private static boolean sameValue(JsonNode expected, JsonNode actual) {
    if (expected.isTextual() && expected.asText().contains("...")) {
      return !actual.isContainerNode() && glob(expected.asText()).matcher(actual.asText()).matches();
    }
    if (expected.isNumber() && actual.isNumber()) {
      return expected.decimalValue().compareTo(actual.decimalValue()) == 0;
    }
    return expected.equals(actual);
  }

  /** Finds the first whole line from {@code from} on that the template matches; returns where it ends. */
  private static int matchLine(String template, String output, int from, int block) {
    Pattern pattern = glob(template);
    int start = from;
    while (start <= output.length()) {
      int end = output.indexOf('\n', start);
      end = end < 0 ? output.length() : end;
      if (pattern.matcher(output.substring(start, end)).matches()) {
        return end;
      }
      start = end + 1;
    }
    throw new AssertionError("tour block " + block + " does not print the line the README shows: " + template
        + "\nit printed from there on:\n" + output.substring(Math.min(from, output.length())));
  }

  /** A pattern in which {@code ...} stands for any text and everything else for itself. */
  private static Pattern glob(String template) {
    StringBuilder regex = new StringBuilder();
    String[] parts = template.split("\\.\\.\\.", -1);
    for (int i = 0; i < parts.length; i++) {
      regex.append(i > 0 ? ".*" : "").append(Pattern.quote(parts[i]));
    }
    return Pattern.compile(regex.toString(), Pattern.DOTALL);
  }

  static List<String> tourBlocks(String readme) {
    List<String> blocks = new ArrayList<>();
    Matcher m = TOUR_BLOCK.matcher(readme);
    while (m.find()) {
      blocks.add(m.group(1));
    }
    return blocks;
  }

  /** The repository's root: the directory holding README.md, here or above the module the build runs in. */
  static Path repositoryRoot() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.exists(dir.resolve("README.md")) && Files.isDirectory(dir.resolve("cli"))) {
        return dir;
      }
    }
    throw new IllegalStateException("no README.md above " + Path.of("").toAbsolutePath());
  }

  /** The tour needs these on the PATH; without them it fails here, saying so, rather than somewhere in a block. */
  private static void requireTools(String... tools) throws IOException, InterruptedException {
    for (String tool : tools) {
      Process which = new ProcessBuilder("sh", "-c", "command -v " + tool).redirectErrorStream(true).start();
      String found = new String(which.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      assertThat(which.waitFor()).as("the README's tour needs '%s' on the PATH (found: %s)", tool, found).isZero();
    }
  }
}
