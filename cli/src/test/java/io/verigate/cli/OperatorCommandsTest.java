package io.verigate.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.verigate.server.account.Actor;
import io.verigate.server.account.AddressRange;
import io.verigate.server.account.ApiKeys;
import io.verigate.server.account.Scope;
import io.verigate.server.account.Mode;
import io.verigate.server.account.Principal;
import io.verigate.server.App;
import io.verigate.server.system.Config;
import io.verigate.server.upstream.PriceRule;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The operator commands against a real node on a random port, through the same command line operators type. */
class OperatorCommandsTest {
  private static final String ADMIN_TOKEN = "t0ken";
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  static Path dataDir;

  @TempDir
  Path workDir;

  private static App app;
  private static String url;

  @BeforeAll
  static void startNode() {
    app = App.create(Config.defaults(Map.of("port", "0", "host", "127.0.0.1", "data-dir", dataDir.toString(),
        "db-url", "jdbc:h2:mem:cli-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "admin-token", ADMIN_TOKEN))).start();
    url = "http://127.0.0.1:" + app.port();
  }

  @AfterAll
  static void stopNode() {
    app.close();
  }

  /** Runs an operator command against the test node with the right admin token. */
  private static CliRun admin(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--url", url, "--admin-token", ADMIN_TOKEN));
    return CliRun.of(all.toArray(String[]::new));
  }

  private static CliRun succeeded(CliRun run) {
    assertThat(run.exitCode()).as("exit code; stderr: %s", run.err()).isZero();
    return run;
  }

  private static String group(String text, String regex) {
    Matcher m = Pattern.compile(regex).matcher(text);
    assertThat(m.find()).as("'%s' in %s", regex, text).isTrue();
    return m.group(1);
  }

  private static long createCustomer(String name) {
    return Long.parseLong(group(succeeded(admin("customers", "create", "--name", name)).out(), "Created customer (\\d+)"));
  }

  @Test
  void createsAnAndroidGatewayWithItsSimMapAndPrintsItsSigningKey() {
    CliRun source = succeeded(admin("sources", "create", "--name", "pixel-cli", "--type", "android",
        "--sim", "1=+14155550123"));

    assertThat(source.out()).contains("webhook signing key");
    assertThat(app.numberSources().view("pixel-cli"))
        .hasValueSatisfying(view -> assertThat(view.sims()).containsEntry(1, "+14155550123"));
    assertThat(succeeded(admin("sources", "show", "pixel-cli")).out())
        .contains("pixel-cli (id ").contains("type android").containsPattern("messages: +0");
  }

  @Test
  void createsAVonageSourceThatChecksSignaturesByTheGivenMethod() {
    succeeded(admin("sources", "create", "--name", "vonage-cli", "--type", "vonage", "--signature-secret", "s3cret",
        "--signature-method", "sha512"));

    assertThat(app.numberSources().webhookSource("vonage-cli", "vonage")).hasValueSatisfying(source -> {
      assertThat(source.signingSecret()).isEqualTo("s3cret");
      assertThat(source.signatureMethod()).isEqualTo("sha512");
    });

    succeeded(admin("sources", "configure", "--name", "vonage-cli", "--signature-method", "sha256"));

    assertThat(app.numberSources().webhookSource("vonage-cli", "vonage"))
        .hasValueSatisfying(source -> assertThat(source.signatureMethod()).isEqualTo("sha256"));
  }

  @Test
  void allowsAVonageSourceUnsignedWebhooksOnlyWhenToldTo() {
    succeeded(admin("sources", "create", "--name", "vonage-open", "--type", "vonage"));
    assertThat(app.numberSources().webhookSource("vonage-open", "vonage"))
        .hasValueSatisfying(source -> assertThat(source.takesUnsigned()).isFalse());

    CliRun allowed = succeeded(admin("sources", "configure", "--name", "vonage-open", "--allow-unsigned", "true"));

    assertThat(allowed.out()).containsPattern("unsigned: +taken");
    assertThat(app.numberSources().webhookSource("vonage-open", "vonage"))
        .hasValueSatisfying(source -> assertThat(source.takesUnsigned()).isTrue());
  }

  @Test
  void rotatesAnAndroidSigningKeyWithoutPrintingIt() {
    succeeded(admin("sources", "create", "--name", "pixel-rotate", "--type", "android"));

    CliRun run = succeeded(admin("sources", "configure", "--name", "pixel-rotate", "--signing-key", "rotated-key-7"));

    assertThat(run.out()).startsWith("pixel-rotate (id ").containsPattern("signing key: +set").doesNotContain("rotated-key-7");
    assertThat(app.numberSources().webhookSource("pixel-rotate", "android"))
        .hasValueSatisfying(source -> assertThat(source.signingSecret()).isEqualTo("rotated-key-7"));
  }

  @Test
  void readsTheAdminTokenAndASourceSecretFromFilesSoNeitherIsInTheArguments() throws IOException {
    Path token = Files.writeString(workDir.resolve("admin-token"), ADMIN_TOKEN + "\n");
    Path key = Files.writeString(workDir.resolve("signing-key"), "key from a file\n");
    succeeded(admin("sources", "create", "--name", "pixel-files", "--type", "android"));

    CliRun run = succeeded(CliRun.of("sources", "configure", "--name", "pixel-files", "--signing-key", "@" + key,
        "--url", url, "--admin-token", "@" + token));

    assertThat(run.out()).doesNotContain("key from a file");
    assertThat(app.numberSources().webhookSource("pixel-files", "android"))
        .hasValueSatisfying(source -> assertThat(source.signingSecret()).isEqualTo("key from a file"));
  }

  @Test
  void movesAnSmppLinkToAnotherPortAndPrintsItAsShowDoes() {
    // Nothing listens on either port: the link keeps retrying, which does not matter to its settings.
    succeeded(admin("sources", "create", "--name", "smsc-move", "--type", "smpp", "--host", "127.0.0.1", "--port", "1",
        "--system-id", "verigate"));

    CliRun run = succeeded(admin("sources", "configure", "--name", "smsc-move", "--port", "2"));

    assertThat(run.out()).containsPattern("(?m)^  smpp link: +127\\.0\\.0\\.1:2 as verigate \\(receiver\\), ");
    long id = app.numberSources().named("smsc-move").orElseThrow().id();
    assertThat(app.numberSources().smppLinkView(id)).hasValueSatisfying(link -> assertThat(link.port()).isEqualTo(2));
    // The link's state and last error move on as it retries; its name and settings print as `sources show` prints them.
    String shown = succeeded(admin("sources", "show", "smsc-move")).out();
    assertThat(run.out().lines().limit(2)).containsExactlyElementsOf(shown.lines().limit(2).toList());
  }

  @Test
  void pointsAnSmsHubAgentAtANewUrlWithANewKeyWithoutPrintingTheKey() {
    succeeded(admin("sources", "create", "--name", "bank-move", "--type", "smshub", "--agent-url", "http://127.0.0.1:9/old"));

    CliRun run = succeeded(admin("sources", "configure", "--name", "bank-move", "--agent-url", "http://127.0.0.1:9/new",
        "--agent-key", "moved-key-3"));

    assertThat(run.out()).containsPattern("agent: +http://127\\.0\\.0\\.1:9/new \\(key set\\)").doesNotContain("moved-key-3");
    assertThat(run.err()).isEmpty();
  }

  @Test
  void configuringWithoutAnySettingIsAUsageError() {
    CliRun run = admin("sources", "configure", "--name", "pixel-cli");

    assertThat(run.exitCode()).isEqualTo(Main.USAGE);
    assertThat(run.err()).startsWith("verigate: nothing to change: give at least one setting");
    assertThat(run.out()).isEmpty();
  }

  @Test
  void listsUpstreamsWithTheirCircuitAndWhyTheirBalanceIsMissing() {
    // Nothing listens on port 1: the upstream is down, and the listing says so.
    app.resale().register(Actor.SYSTEM, "upstream-cli", "verigate", "http://127.0.0.1:1", "key-there",
        PriceRule.markup(20));

    List<String> lines = succeeded(admin("sources", "upstreams")).out().lines().toList();

    assertThat(lines.get(0)).isEqualTo("NAME          PROTOCOL  BASE URL            BALANCE  CIRCUIT");
    assertThat(lines.get(1)).matches("upstream-cli +verigate +http://127\\.0\\.0\\.1:1 +- +CLOSED");
    assertThat(lines).anyMatch(line -> line.startsWith("upstream-cli: no balance: PROVIDER_DOWN"));
    assertThat(lines).anyMatch(line -> line.matches("upstream-cli: \\S+ balance PROVIDER_DOWN: .*"));
  }

  @Test
  void configuringAnUnknownSourceIsRefusedAsNotFound() {
    CliRun run = admin("sources", "configure", "--name", "no-such-source", "--port", "2775");

    assertThat(run.exitCode()).isEqualTo(Main.DATA_ERROR);
    assertThat(run.err()).isEqualToIgnoringNewLines("verigate: no number source named no-such-source (NOT_FOUND)");
  }

  @Test
  void runsAFullOperatorSession() throws IOException {
    CliRun created = succeeded(admin("customers", "create", "--name", "Acme QA"));
    assertThat(created.out()).matches("Created customer \\d+ \\(Acme QA\\)\\.\\R");
    String customer = group(created.out(), "Created customer (\\d+)");
    assertThat(succeeded(admin("customers", "list")).out()).containsPattern("(?m)^" + customer + " +Acme QA +\\d{4}-");

    CliRun key = succeeded(admin("keys", "create", "--customer", customer, "--mode", "live", "--label", "ci"));
    String apiKey = group(key.out(), "(?m)^(vg_live_\\w+)$");
    assertThat(key.err()).contains("shown only once");
    Optional<ApiKeys.Key> principal = app.keys().find(apiKey);
    assertThat(principal).map(ApiKeys.Key::mode).contains(Mode.LIVE);
    assertThat(principal.get().customerId()).isEqualTo(Long.parseLong(customer));
    assertThat(succeeded(admin("keys", "list", "--customer", customer)).out())
        .containsPattern("(?m)^" + principal.get().keyId() + " +LIVE +ci +ACTIVE +read,buy,keys +- +\\d{4}-\\S+ +- +-$");

    assertThat(succeeded(admin("wallet", "credit", "--customer", customer, "--amount", "25.00", "--memo", "invoice 7")).out())
        .isEqualToIgnoringNewLines("Customer " + customer + " live wallet: 25.00 USD available, 0.00 USD held.");
    assertThat(succeeded(admin("wallet", "show", "--customer", customer)).out()).contains("25.00 USD available");
    assertThat(succeeded(admin("wallet", "show", "--customer", customer, "--mode", "test")).out())
        .contains("test wallet: 100.00 USD available"); // the sandbox funds a test wallet on first sight

    CliRun source = succeeded(admin("sources", "create", "--name", "gw-session"));
    String pushToken = group(source.out(), "(?m)^(vgs_\\w+)$");
    assertThat(source.err()).contains("shown only once");
    assertThat(app.numberSources().authenticate(pushToken)).map(s -> s.name()).contains("gw-session");
    assertThat(succeeded(admin("sources", "list")).out()).containsPattern("(?m)^\\d+ +gw-session +http$");

    Path csv = workDir.resolve("numbers.csv");
    Files.writeString(csv, "number,operator\n+14155550101\n+14155550102,verizon\n12345\n+14155550101\n");
    assertThat(succeeded(admin("numbers", "import", "--source", "gw-session", "--operator", "tmobile", csv.toString())).out())
        .isEqualTo("Imported numbers.csv into gw-session: added 2, duplicates 1, rejected 1." + System.lineSeparator()
            + "rejected: 12345" + System.lineSeparator());

    assertThat(succeeded(admin("prices", "set", "--service", "whatsapp", "--country", "usa", "--price", "0.80")).out())
        .contains("Price for wa in US (operator any): 0.80 USD.");
    List<String> prices = succeeded(admin("prices", "list")).out().lines().toList();
    assertThat(prices.get(0)).startsWith("SERVICE  COUNTRY  OPERATOR  PRICE  CURRENCY");
    assertThat(prices).contains("wa       US       any       0.80   USD");
  }

  @Test
  void importsEsimProfilesFromACsvFileAndNamesTheLineOfABadOne() throws Exception {
    HttpResponse<String> plan = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
            URI.create(url + "/admin/v1/esims/plans/cli-gr-1gb"))
        .header("Authorization", "Bearer " + ADMIN_TOKEN).header("Content-Type", "application/json")
        .PUT(HttpRequest.BodyPublishers.ofString(
            "{\"name\": \"Greece 1 GB\", \"countries\": [\"GR\"], \"dataMb\": 1024, \"validityDays\": 7, \"price\": \"4.50\"}"))
        .build(), HttpResponse.BodyHandlers.ofString());
    assertThat(plan.statusCode()).as(plan.body()).isEqualTo(200);

    Path csv = workDir.resolve("profiles.csv");
    Files.writeString(csv, "iccid,activation_code,confirmation_code\n"
        + "89014103211118510720,LPA:1$smdp.example.com$04386-AGYFT-A74Y8-3F815\n"
        + "8901410321111851072, LPA:1$smdp.example.com$K2-77 ,1234\n\n");
    assertThat(succeeded(admin("esim-stock", "import", "--plan", "cli-gr-1gb", csv.toString())).out())
        .isEqualTo("Imported profiles.csv into plan cli-gr-1gb: added 2, duplicates 0; free profiles now 2."
            + System.lineSeparator());
    assertThat(succeeded(admin("esim-stock", "import", "--plan", "cli-gr-1gb", csv.toString())).out())
        .as("the same file again adds nothing").contains("added 0, duplicates 2; free profiles now 2.");

    Path bad = workDir.resolve("bad.csv");
    Files.writeString(bad, "89445001021983048261,LPA:1$smdp.example.com$A-1\n"
        + "89445001021983048262,LPA:1$smdp.example.com$A-2\n");
    CliRun refused = admin("esim-stock", "import", "--plan", "cli-gr-1gb", bad.toString());
    assertThat(refused.exitCode()).isEqualTo(65);
    assertThat(refused.err()).contains("bad.csv line 2: ").contains("Luhn").contains("nothing was imported")
        .doesNotContain("profiles[");
    CliRun wrongShape = admin("esim-stock", "import", "--plan", "cli-gr-1gb", csv.getParent().resolve("x.csv").toString());
    assertThat(wrongShape.exitCode()).as("a missing file").isEqualTo(66);

    List<String> table = succeeded(admin("esim-stock", "list")).out().lines().toList();
    assertThat(table.get(0)).startsWith("PLAN").contains("FREE");
    assertThat(table).anySatisfy(row -> assertThat(row).startsWith("cli-gr-1gb ").contains("GR").endsWith(" 2"));

    CliRun noAiralo = admin("esim-stock", "sync");
    assertThat(noAiralo.exitCode()).as("this node has no Airalo credentials").isNotZero();
    assertThat(noAiralo.err()).contains("esim-airalo-client-id");
  }

  @Test
  void printsTheAuditLogWithACreditAndASecretChangeButNotTheSecret() {
    long customer = createCustomer("Audit Ltd");
    succeeded(admin("wallet", "credit", "--customer", String.valueOf(customer), "--amount", "12.50", "--memo", "po 9"));
    succeeded(admin("sources", "create", "--name", "pixel-audit", "--type", "android", "--signing-key", "first-key-31"));
    succeeded(admin("sources", "configure", "--name", "pixel-audit", "--signing-key", "second-key-32"));

    CliRun run = succeeded(admin("audit", "--limit", "3"));

    List<String> lines = run.out().lines().toList();
    assertThat(lines.get(0)).matches("ID +TIME +ACTOR +ACTION +SUBJECT +DETAIL +FROM");
    assertThat(lines.get(1)).matches("\\d+ +\\d{4}-\\S+ +admin +source\\.secret_changed +source:pixel-audit "
        + "+\\{\"changed\":\\[\"signingKey\"]} +127\\.0\\.0\\.1");
    assertThat(lines.get(2)).containsPattern("admin +source\\.created +source:pixel-audit +\\{\"type\":\"android\"}");
    assertThat(lines.get(3)).containsPattern("admin +wallet\\.credited +customer:" + customer + " ")
        .contains("\"amount\":\"12.50\"").contains("\"memo\":\"po 9\"");
    assertThat(lines.get(4)).startsWith("older entries: verigate audit --before ");
    assertThat(run.out()).doesNotContain("first-key-31").doesNotContain("second-key-32");

    String before = group(lines.get(4), "--before (\\d+)");
    CliRun older = succeeded(admin("audit", "--before", before, "--action", "customer.created", "--limit", "1"));
    assertThat(older.out()).containsPattern("admin +customer\\.created +customer:" + customer + " +\\{\"name\":\"Audit Ltd\"}");

    CliRun unknown = admin("audit", "--action", "everything");
    assertThat(unknown.exitCode()).isEqualTo(Main.DATA_ERROR);
    assertThat(unknown.err()).contains("action must be one of").contains("(BAD_REQUEST)");
  }

  @Test
  void jsonPrintsTheServersReplyAsIs() throws IOException {
    long customer = createCustomer("Json Ltd");

    CliRun run = succeeded(admin("customers", "list", "--json"));

    JsonNode customers = JSON.readTree(run.out());
    assertThat(customers.isArray()).isTrue();
    assertThat(customers.findValuesAsText("name")).contains("Json Ltd");
    assertThat(customers.findValues("id")).extracting(JsonNode::asLong).contains(customer);
  }

  @Test
  void aSecretInJsonOutputStillComesWithTheWarningOnStderr() throws IOException {
    long customer = createCustomer("Script Inc");

    CliRun run = succeeded(admin("keys", "create", "--customer", String.valueOf(customer), "--mode", "test", "--json"));

    JsonNode key = JSON.readTree(run.out());
    assertThat(app.keys().find(key.path("key").asText())).map(ApiKeys.Key::mode).contains(Mode.TEST);
    assertThat(run.err()).isEqualToIgnoringNewLines(
        "verigate: store the API key now: it is shown only once and cannot be recovered.");
  }

  @Test
  void aRevokedKeyIsRefusedAndCannotBeRevokedTwice() {
    long customer = createCustomer("Revoke Co");
    CliRun created = succeeded(admin("keys", "create", "--customer", String.valueOf(customer)));
    String apiKey = group(created.out(), "(?m)^(vg_live_\\w+)$");
    String keyId = app.keys().find(apiKey).orElseThrow().keyId();

    assertThat(succeeded(admin("keys", "revoke", keyId)).out()).isEqualToIgnoringNewLines("Revoked key " + keyId + ".");
    assertThat(app.keys().find(apiKey)).isEmpty();

    CliRun again = admin("keys", "revoke", keyId);
    assertThat(again.exitCode()).isEqualTo(Main.DATA_ERROR);
    assertThat(again.err()).isEqualToIgnoringNewLines("verigate: no active key with id " + keyId + " (NOT_FOUND)");
  }

  @Test
  void aScopedKeyIsIssuedAndRotatedWithItsSettings() {
    long customer = createCustomer("Scoped Co");
    CliRun created = succeeded(admin("keys", "create", "--customer", String.valueOf(customer), "--scopes", "read",
        "--allow-ip", "203.0.113.0/24,2001:db8::/32", "--expires", "2099-01-01T00:00:00Z"));
    String apiKey = group(created.out(), "(?m)^(vg_live_\\w+)$");
    ApiKeys.Key key = app.keys().find(apiKey).orElseThrow();
    assertThat(key.scopes()).containsExactly(Scope.READ);
    assertThat(key.allowedIps()).extracting(AddressRange::text).containsExactly("203.0.113.0/24", "2001:db8::/32");

    CliRun rotated = succeeded(admin("keys", "rotate", key.keyId(), "--overlap", "0"));

    String newKey = group(rotated.out(), "(?m)^(vg_live_\\w+)$");
    assertThat(rotated.err()).contains("shown only once");
    assertThat(app.keys().find(newKey).orElseThrow().scopes()).containsExactly(Scope.READ);
    assertThat(succeeded(admin("keys", "list", "--customer", String.valueOf(customer))).out())
        .containsPattern("(?m)^" + key.keyId() + " +LIVE +default +EXPIRED +read +203.0.113.0/24,2001:db8::/32 ");
    CliRun badScope = admin("keys", "create", "--customer", String.valueOf(customer), "--scopes", "everything");
    assertThat(badScope.exitCode()).isEqualTo(Main.DATA_ERROR);
    assertThat(badScope.err()).contains("unknown scope 'everything'");
  }

  @Test
  void registersAWebhookPrintingItsSecretOnceAndListsItWithout() {
    long customer = createCustomer("Hooked Co");
    // A public address that is never posted to: this customer has no events.
    CliRun created = succeeded(admin("webhooks", "create", "--customer", String.valueOf(customer), "--mode", "test",
        "https://93.184.216.34/hooks", "--events", "activation.received,activation.finished"));
    String secret = group(created.out(), "(?m)^(whsec_[A-Za-z0-9+/=]+)$");
    assertThat(created.err()).contains("shown only once");

    CliRun listed = succeeded(admin("webhooks", "list", "--customer", String.valueOf(customer)));

    assertThat(listed.out()).containsPattern(
        "(?m)^\\d+ +TEST +https://93.184.216.34/hooks +activation.received,activation.finished +standard +true ");
    assertThat(listed.out()).doesNotContain(secret.substring("whsec_".length()));
    CliRun refused = admin("webhooks", "create", "--customer", String.valueOf(customer), "http://10.0.0.1/");
    assertThat(refused.exitCode()).isEqualTo(Main.DATA_ERROR);
    assertThat(refused.err()).contains("not a public address");
  }

  @Test
  void aBadAdminTokenIsRefusedWithTheServersMessage() {
    CliRun run = CliRun.of("customers", "list", "--url", url, "--admin-token", "wrong");

    assertThat(run.exitCode()).isEqualTo(Main.DATA_ERROR);
    assertThat(run.err()).isEqualToIgnoringNewLines("verigate: the admin token is required as Bearer (BAD_KEY)");
    assertThat(run.out()).isEmpty();
  }

  @Test
  void anUnknownCustomerIsRefusedWithTheServersMessage() {
    CliRun run = admin("wallet", "credit", "--customer", "987654", "--amount", "1.00");

    assertThat(run.exitCode()).isEqualTo(Main.DATA_ERROR);
    assertThat(run.err()).isEqualToIgnoringNewLines("verigate: no customer with id 987654 (NOT_FOUND)");
  }

  @Test
  void readsTheAdminTokenFromTheNodesDataDirectoryWhenNoneIsGiven() {
    assumeTrue(System.getenv("VERIGATE_ADMIN_TOKEN") == null,
        "VERIGATE_ADMIN_TOKEN is set in this environment");

    CliRun run = CliRun.of("customers", "list", "--url", url, "--data-dir", dataDir.toString());

    assertThat(succeeded(run).out()).startsWith("ID").contains("Sandbox");
  }

  @Test
  void withoutAnyAdminTokenItSaysWhereItLooked() {
    assumeTrue(System.getenv("VERIGATE_ADMIN_TOKEN") == null,
        "VERIGATE_ADMIN_TOKEN is set in this environment");

    CliRun run = CliRun.of("customers", "list", "--url", url, "--data-dir", workDir.toString());

    assertThat(run.exitCode()).isEqualTo(Main.USAGE);
    assertThat(run.err()).startsWith("verigate: no admin token: pass --admin-token")
        .contains(workDir.resolve("credentials.txt").toString());
  }

  @Test
  void anUnreachableNodeExitsUnavailable() throws IOException {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    String deadUrl = "http://127.0.0.1:" + closedPort;

    CliRun run = CliRun.of("customers", "list", "--url", deadUrl, "--admin-token", ADMIN_TOKEN);

    assertThat(run.exitCode()).isEqualTo(Main.UNAVAILABLE);
    assertThat(run.err()).isEqualToIgnoringNewLines(
        "verigate: cannot reach " + deadUrl + ": connection refused (is the node running?)");
  }

  @Test
  void aMissingCsvFileExitsNoInput() {
    Path missing = workDir.resolve("absent.csv");

    CliRun run = admin("numbers", "import", "--source", "gw-session", missing.toString());

    assertThat(run.exitCode()).isEqualTo(Main.NO_INPUT);
    assertThat(run.err()).isEqualToIgnoringNewLines("verigate: no such file: " + missing);
  }
}
