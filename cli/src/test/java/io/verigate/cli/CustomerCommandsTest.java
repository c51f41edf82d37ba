package io.verigate.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.zxing.BinaryBitmap;
import com.google.zxing.DecodeHintType;
import com.google.zxing.client.j2se.BufferedImageLuminanceSource;
import com.google.zxing.common.HybridBinarizer;
import com.google.zxing.qrcode.QRCodeReader;
import io.verigate.client.Activation;
import io.verigate.client.BuyRequest;
import io.verigate.client.VerigateClient;
import io.verigate.server.App;
import io.verigate.server.account.Actor;
import io.verigate.server.account.ApiKeys;
import io.verigate.server.account.Mode;
import io.verigate.server.system.Config;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The customer commands against a real sandbox node on a random port, through the command line a customer types:
 * each test is a new customer with a test-mode key, whose purchases the sandbox answers with an SMS after a second.
 */
class CustomerCommandsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final AtomicInteger CUSTOMERS = new AtomicInteger();

  @TempDir
  static Path dataDir;

  @TempDir
  Path workDir;

  private static App app;
  private static String url;
  private String key;

  @BeforeAll
  static void startNode() {
    app = node(dataDir, Map.of("sandbox-delivery-delay", "1s", "early-cancel-guard", "0s"));
    url = "http://127.0.0.1:" + app.port();
  }

  /** A node of its own on a random port and a fresh in-memory database, with the given settings over the defaults. */
  private static App node(Path dataDir, Map<String, String> settings) {
    Map<String, String> values = new HashMap<>(settings);
    values.putAll(Map.of("port", "0", "host", "127.0.0.1", "data-dir", dataDir.toString(),
        "db-url", "jdbc:h2:mem:cli-customer-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1"));
    return App.create(Config.defaults(values)).start();
  }

  @AfterAll
  static void stopNode() {
    app.close();
  }

  @BeforeEach
  void newCustomer() {
    long customer = app.accounts().createCustomer(Actor.SYSTEM, "cli customer " + CUSTOMERS.incrementAndGet()).id();
    key = app.keys().issue(Actor.SYSTEM, customer, ApiKeys.NewKey.unrestricted(Mode.TEST, "cli")).secret();
  }

  /** Runs a customer command against the test node with this test's key. */
  private CliRun customer(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--url", url, "--key", key));
    return CliRun.of(all.toArray(String[]::new));
  }

  private static CliRun succeeded(CliRun run) {
    assertThat(run.exitCode()).as("exit code; stdout: %s stderr: %s", run.out(), run.err()).isZero();
    return run;
  }

  private static List<JsonNode> jsonLines(CliRun run) throws IOException {
    List<JsonNode> documents = new ArrayList<>();
    for (String line : run.out().lines().toList()) {
      documents.add(JSON.readTree(line));
    }
    return documents;
  }

  /** An activation bought through the SDK, as a script of the customer's would, with its code already here. */
  private Activation boughtWithCode() throws InterruptedException {
    VerigateClient sdk = VerigateClient.create(url, key);
    Activation bought = sdk.buy(BuyRequest.of("wa", "us"));
    Activation received = sdk.awaitCode(bought.id(), Duration.ofSeconds(20));
    assertThat(received.hasCode()).as("the sandbox's SMS").isTrue();
    return received;
  }

  @Test
  void numberWaitPrintsTheNumberThenTheWaitThenTheCodeAndFinishes() {
    CliRun run = succeeded(customer("number", "whatsapp", "--country", "us,gb", "--max-price", "5.00", "--wait",
        "--finish", "--timeout", "30s"));

    List<String> lines = run.out().lines().toList();
    assertThat(lines.get(0)).matches("Number \\+1\\d{10} \\(activation (\\d+): wa in US, \\d+\\.\\d{2,4} USD\\)");
    // Not a terminal here: plain progress lines, no '\r' rewrites.
    assertThat(lines.get(1)).isEqualTo("waiting for the code: 0:00 elapsed, WAITING, 0:30 left");
    assertThat(run.out()).doesNotContain("\r");
    assertThat(lines).anySatisfy(line -> assertThat(line).matches("RECEIVED after 0:0\\d"));
    assertThat(lines).anySatisfy(line -> assertThat(line).matches("Code: \\d{4,8} .*"));
    assertThat(lines.get(lines.size() - 1)).matches("Finished activation \\d+: charged \\d+\\.\\d{2,4} USD\\.");
    int id = Integer.parseInt(lines.get(0).replaceAll(".*activation (\\d+):.*", "$1"));
    assertThat(VerigateClient.create(url, key).activation(id).status()).isEqualTo("FINISHED");
    assertThat(run.err()).isEmpty();
  }

  @Test
  void numberWaitWithJsonPrintsTheActivationAsBoughtAndAsFinished() throws IOException {
    CliRun run = succeeded(customer("number", "wa", "--country", "us", "--wait", "--finish", "--json"));

    List<JsonNode> documents = jsonLines(run);
    assertThat(documents).hasSize(2);
    assertThat(documents.get(0).path("status").asText()).isEqualTo("WAITING");
    assertThat(documents.get(0).path("phoneNumber").asText()).startsWith("+1");
    assertThat(documents.get(0).path("userCost").isTextual()).as("amounts are decimal strings, as in the API").isTrue();
    assertThat(documents.get(0).has("waiting")).isFalse();
    assertThat(documents.get(1).path("id").asInt()).isEqualTo(documents.get(0).path("id").asInt());
    assertThat(documents.get(1).path("status").asText()).isEqualTo("FINISHED");
    assertThat(documents.get(1).path("code").asText()).matches("\\d{4,8}");
  }

  @Test
  void numberWaitWithoutACodeInTimeCancelsWhenToldAndExitsTempFailure() {
    CliRun run = customer("number", "wa", "--country", "us", "--operator", "nocode", "--wait", "--timeout", "2s",
        "--cancel-on-timeout");

    assertThat(run.exitCode()).isEqualTo(Main.TEMP_FAILURE);
    assertThat(run.out()).contains("waiting for the code: 0:00 elapsed, WAITING, 0:02 left").contains("no code after 0:0")
        .containsPattern("Activation \\d+ is CANCELED: \\d+\\.\\d{2,4} USD refunded\\.");
    assertThat(run.err()).isEqualToIgnoringNewLines("verigate: no code within 0:02");
  }

  @Test
  void numberWaitWithoutACodeInTimeLeavesTheNumberWaitingUnlessToldToCancel() {
    CliRun run = customer("number", "wa", "--country", "us", "--operator", "nocode", "--wait", "--timeout", "1s");

    assertThat(run.exitCode()).isEqualTo(Main.TEMP_FAILURE);
    assertThat(run.err()).startsWith("verigate: no code within 0:01; activation ").contains("is still waiting");
    int id = Integer.parseInt(run.err().replaceAll("(?s).*activation (\\d+) is still waiting.*", "$1"));
    assertThat(VerigateClient.create(url, key).activation(id).status()).isEqualTo("WAITING");
  }

  @Test
  void numberWithoutWaitPrintsTheNumberAndHowToGetItsCode() {
    CliRun run = succeeded(customer("number", "wa", "--country", "gb"));

    assertThat(run.out()).containsPattern("^Number \\+44\\d+ \\(activation \\d+: wa in GB, ")
        .containsPattern("Its code: verigate status \\d+");
  }

  @Test
  void noNumbersIsATemporaryFailureWithTheNodesMessage() {
    CliRun run = customer("number", "wa", "--country", "us", "--operator", "nonumbers", "--wait");

    assertThat(run.exitCode()).isEqualTo(Main.TEMP_FAILURE);
    assertThat(run.err()).startsWith("verigate: ").endsWith("(NO_NUMBERS)" + System.lineSeparator());
    assertThat(run.out()).isEmpty();
  }

  @Test
  void finishAndCancelWithoutWaitAreUsageErrors() {
    CliRun run = customer("number", "wa", "--country", "us", "--finish");

    assertThat(run.exitCode()).isEqualTo(Main.USAGE);
    assertThat(run.err()).contains("add --wait");
  }

  @Test
  void aBadTimeoutIsAUsageError() {
    CliRun run = customer("number", "wa", "--country", "us", "--wait", "--timeout", "soon");

    assertThat(run.exitCode()).isEqualTo(Main.USAGE);
    assertThat(run.err()).contains("--timeout must be a duration such as 90s, 20m or 1h, got 'soon'");
  }

  @Test
  void esimPlansListsThePlansForACountry() throws IOException {
    String table = succeeded(customer("esim", "plans", "--country", "gr")).out();

    assertThat(table).startsWith("PLAN").contains("sandbox-gr-1gb-7d").contains("4.50");
    JsonNode plans = JSON.readTree(succeeded(customer("esim", "plans", "--country", "gr", "--json")).out());
    assertThat(plans.findValuesAsText("id")).contains("sandbox-gr-1gb-7d");
  }

  @Test
  void esimOrderPrintsTheActivationCodeAndAQrCodeThatScansBackToIt() throws Exception {
    String out = succeeded(customer("esim", "order", "sandbox-gr-1gb-7d")).out();

    Matcher code = Pattern.compile("Activation code: (LPA:1\\$\\S+)").matcher(out);
    assertThat(code.find()).as(out).isTrue();
    assertThat(out).contains("ICCID 89999");
    assertThat(scan(out.lines().filter(line -> line.matches("[█▀▄ ]+")).toList())).isEqualTo(code.group(1));
    assertThat(customer("esim", "order", "sandbox-out-of-stock").exitCode()).as("out of stock: try later")
        .isEqualTo(Main.TEMP_FAILURE);
  }

  /** Reads a QR code drawn with half blocks (the blocks are the light modules, as for a dark terminal). */
  private static String scan(List<String> lines) throws Exception {
    int scale = 4;
    int width = lines.get(0).length();
    BufferedImage image = new BufferedImage(width * scale, lines.size() * 2 * scale, BufferedImage.TYPE_INT_RGB);
    for (int row = 0; row < lines.size(); row++) {
      for (int x = 0; x < width; x++) {
        char c = lines.get(row).charAt(x);
        paint(image, x, row * 2, scale, c == '█' || c == '▀');
        paint(image, x, row * 2 + 1, scale, c == '█' || c == '▄');
      }
    }
    BinaryBitmap bitmap = new BinaryBitmap(new HybridBinarizer(new BufferedImageLuminanceSource(image)));
    // A pure barcode, as the reader is told: its search for finder patterns, made for camera pictures, misses a few
    // perfectly drawn codes in a thousand.
    return new QRCodeReader().decode(bitmap, Map.of(DecodeHintType.PURE_BARCODE, Boolean.TRUE)).getText();
  }

  private static void paint(BufferedImage image, int x, int y, int scale, boolean light) {
    for (int dy = 0; dy < scale; dy++) {
      for (int dx = 0; dx < scale; dx++) {
        image.setRGB(x * scale + dx, y * scale + dy, light ? 0xFFFFFF : 0x000000);
      }
    }
  }

  @Test
  void balanceShowsTheWalletAsTextAndAsJson() throws IOException {
    assertThat(succeeded(customer("balance")).out())
        .matches("Balance: \\d+\\.\\d{2,4} USD available, 0\\.\\d{2,4} USD held\\.\\R");

    JsonNode balance = JSON.readTree(succeeded(customer("balance", "--json")).out());
    assertThat(balance.path("currency").asText()).isEqualTo("USD");
    assertThat(balance.path("balance").asText()).matches("\\d+\\.\\d{2,4}");
    assertThat(balance.path("held").asText()).matches("0\\.\\d{2,4}");
  }

  @Test
  void statusShowsTheNumberItsStatusAndItsCode() throws Exception {
    Activation activation = boughtWithCode();
    String id = String.valueOf(activation.id());

    CliRun text = succeeded(customer("status", id));
    assertThat(text.out()).startsWith("Activation " + id + ": " + activation.phoneNumber() + " for wa in US")
        .containsPattern("(?m)^  status: +RECEIVED$").containsPattern("(?m)^  code: +" + activation.code() + "$");
    // the sandbox's SMS has blank lines between the code and the warning, as WhatsApp's has: shown on one line
    assertThat(activation.smsText()).contains("\n");
    assertThat(text.out().lines()).hasSize(7)
        .anySatisfy(line -> assertThat(line).startsWith("  sms:      Your WhatsApp code").endsWith("(from WhatsApp)"));

    JsonNode json = JSON.readTree(succeeded(customer("status", id, "--json")).out());
    assertThat(json.path("status").asText()).isEqualTo("RECEIVED");
    assertThat(json.path("code").asText()).isEqualTo(activation.code());
    assertThat(json.path("createdAt").asText()).matches("\\d{4}-\\d{2}-\\d{2}T.*Z");
  }

  @Test
  void anotherCustomersActivationIsNotFound() throws Exception {
    String theirs = String.valueOf(boughtWithCode().id());
    newCustomer();

    CliRun run = customer("status", theirs);

    assertThat(run.exitCode()).isEqualTo(Main.DATA_ERROR);
    assertThat(run.err()).endsWith("(ACTIVATION_NOT_FOUND)" + System.lineSeparator());
    assertThat(run.out()).isEmpty();
  }

  @Test
  void aTimeoutWithinTheNodesEarlyCancelGuardCannotCancelAndSaysWhen() {
    App guarded = node(workDir, Map.of()); // the default early-cancel guard: 2 minutes
    try {
      String sandboxKey = guarded.credentials().sandboxKey().orElseThrow();
      CliRun run = CliRun.of("number", "wa", "--country", "us", "--operator", "nocode", "--wait", "--timeout", "1s",
          "--cancel-on-timeout", "--url", "http://127.0.0.1:" + guarded.port(), "--key", sandboxKey);

      assertThat(run.exitCode()).isEqualTo(Main.TEMP_FAILURE);
      assertThat(run.err()).startsWith("verigate: no code within 0:01, and the node refused to cancel: ")
          .containsPattern("\\(EARLY_CANCEL_DENIED\\); then: verigate cancel \\d+");
    } finally {
      guarded.close();
    }
  }

  @Test
  void aSpentRateLimitIsATemporaryFailureThatSaysWhenToTryAgain() {
    App limited = node(workDir, Map.of("rate-limit-purchase", "1/1m"));
    try {
      List<String> args = List.of("number", "wa", "--country", "us", "--url", "http://127.0.0.1:" + limited.port(),
          "--key", limited.credentials().sandboxKey().orElseThrow());
      succeeded(CliRun.of(args.toArray(String[]::new)));

      CliRun run = CliRun.of(args.toArray(String[]::new));

      assertThat(run.exitCode()).isEqualTo(Main.TEMP_FAILURE);
      assertThat(run.err()).startsWith("verigate: ").containsPattern("\\(RATE_LIMITED\\); try again in \\d+ s\\R$");
    } finally {
      limited.close();
    }
  }

  @Test
  void finishChargesTheActivation() throws Exception {
    Activation activation = boughtWithCode();

    CliRun run = succeeded(customer("finish", String.valueOf(activation.id())));

    assertThat(run.out()).isEqualToIgnoringNewLines("Finished activation " + activation.id() + ": charged "
        + activation.userCost().toPlainString() + " USD.");
    JsonNode again = JSON.readTree(succeeded(customer("finish", String.valueOf(activation.id()), "--json")).out());
    assertThat(again.path("status").asText()).as("finishing twice answers the same").isEqualTo("FINISHED");
  }

  @Test
  void cancelRefundsAWaitingActivationAndRefusesOneWithACode() throws Exception {
    Activation waiting = VerigateClient.create(url, key).buy(BuyRequest.of("wa", "us").withOperator("nocode"));

    CliRun run = succeeded(customer("cancel", String.valueOf(waiting.id())));
    assertThat(run.out()).isEqualToIgnoringNewLines("Activation " + waiting.id() + " is CANCELED: "
        + waiting.userCost().toPlainString() + " USD refunded.");
    JsonNode again = JSON.readTree(succeeded(customer("cancel", String.valueOf(waiting.id()), "--json")).out());
    assertThat(again.path("status").asText()).isEqualTo("CANCELED");

    CliRun refused = customer("cancel", String.valueOf(boughtWithCode().id()));
    assertThat(refused.exitCode()).isEqualTo(Main.DATA_ERROR);
    assertThat(refused.err()).contains("already received a code; finish it instead (INVALID_STATE)");
  }

  @Test
  void resendWaitsForAnotherCodeOnTheSameNumber() throws Exception {
    Activation activation = boughtWithCode();

    CliRun run = succeeded(customer("resend", String.valueOf(activation.id())));

    assertThat(run.out()).isEqualToIgnoringNewLines("Activation " + activation.id() + " (" + activation.phoneNumber()
        + ") is WAITING for another code: verigate status " + activation.id());
    JsonNode status = JSON.readTree(succeeded(customer("status", String.valueOf(activation.id()), "--json")).out());
    assertThat(status.path("status").asText()).isIn("WAITING", "RECEIVED");
  }

  @Test
  void activationsListsTheCustomersOwnNewestFirst() throws Exception {
    Activation first = boughtWithCode();
    Activation second = boughtWithCode();

    List<String> lines = succeeded(customer("activations")).out().lines().toList();
    assertThat(lines.get(0)).matches("ID +NUMBER +SERVICE +COUNTRY +STATUS +CODE +COST +CREATED");
    assertThat(lines).hasSize(3);
    assertThat(lines.get(1)).matches(second.id() + " +\\" + second.phoneNumber() + " +wa +US +RECEIVED +"
        + second.code() + " +" + second.userCost().toPlainString() + " +\\d{4}-\\S+Z");
    assertThat(lines.get(2)).startsWith(first.id() + " ");

    CliRun paged = succeeded(customer("activations", "--limit", "1"));
    assertThat(paged.out()).contains("older activations: verigate activations --before " + second.id());

    JsonNode page = JSON.readTree(succeeded(customer("activations", "--json")).out());
    assertThat(page.path("items").findValues("id")).extracting(JsonNode::asInt).containsExactly(second.id(), first.id());
  }

  @Test
  void aBadKeyExitsNoPermissionSayingWhereTheKeyCameFrom() {
    CliRun run = CliRun.of("balance", "--url", url, "--key", "vg_test_not-a-real-key");

    assertThat(run.exitCode()).isEqualTo(Main.NO_PERMISSION);
    assertThat(run.err()).startsWith("verigate: the API key from --key was refused: ").contains("(BAD_KEY)");
    assertThat(run.out()).isEmpty();
  }

  @Test
  void noNodeExitsUnavailable() throws IOException {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    String deadUrl = "http://127.0.0.1:" + closedPort;

    CliRun run = CliRun.of("number", "wa", "--country", "us", "--wait", "--url", deadUrl, "--key", key);

    assertThat(run.exitCode()).isEqualTo(Main.UNAVAILABLE);
    assertThat(run.err()).isEqualToIgnoringNewLines(
        "verigate: cannot reach " + deadUrl + ": connection refused (is the node running?)");
  }

  @Test
  void theKeyAndUrlComeFromTheConfigFileUnlessGivenOnTheCommandLine() throws IOException {
    assumeTrue(System.getenv(CustomerSettings.KEY_ENV) == null && System.getenv(CustomerSettings.URL_ENV) == null,
        "VERIGATE_API_KEY or VERIGATE_URL is set in this environment");
    Path config = Files.writeString(workDir.resolve("config"), "# verigate\napi-key=" + key + "\nurl=" + url + "\n");

    assertThat(succeeded(CliRun.of("balance", "--config", config.toString())).out()).startsWith("Balance: ");

    CliRun overridden = CliRun.of("balance", "--config", config.toString(), "--key", "vg_test_wrong");
    assertThat(overridden.exitCode()).isEqualTo(Main.NO_PERMISSION);
    assertThat(overridden.err()).contains("the API key from --key was refused");

    Files.writeString(config, "api-key=vg_test_wrong\nurl=" + url + "\n");
    CliRun fromFile = CliRun.of("balance", "--config", config.toString());
    assertThat(fromFile.exitCode()).isEqualTo(Main.NO_PERMISSION);
    assertThat(fromFile.err()).contains("the API key from " + config + " was refused");
    assertThat(succeeded(CliRun.of("balance", "--config", config.toString(), "--key", key)).out()).startsWith("Balance: ");
  }

  @Test
  void withoutAnyKeyItSaysWhereItLooked() throws IOException {
    assumeTrue(System.getenv(CustomerSettings.KEY_ENV) == null, "VERIGATE_API_KEY is set in this environment");
    Path config = Files.writeString(workDir.resolve("config"), "url=" + url + "\n");

    CliRun run = CliRun.of("balance", "--config", config.toString());

    assertThat(run.exitCode()).isEqualTo(Main.USAGE);
    assertThat(run.err()).isEqualToIgnoringNewLines("verigate: no API key: pass --key, set VERIGATE_API_KEY, "
        + "or put a line 'api-key=vg_...' in " + config);
  }

  @Test
  void aMissingConfigFileThatWasNamedExitsNoInput() {
    Path missing = workDir.resolve("absent");

    CliRun run = CliRun.of("balance", "--config", missing.toString(), "--key", key);

    assertThat(run.exitCode()).isEqualTo(Main.NO_INPUT);
    assertThat(run.err()).isEqualToIgnoringNewLines("verigate: no such file: " + missing);
  }
}
