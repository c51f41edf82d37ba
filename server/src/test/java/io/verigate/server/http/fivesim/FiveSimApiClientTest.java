package io.verigate.server.http.fivesim;

import static org.assertj.core.api.Assertions.assertThat;

import io.verigate.server.account.Principal;
import io.verigate.server.activation.ActivationStatus;
import io.verigate.server.testing.TestApp;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The npm client {@code fivesim-api} 1.0.0, which nobody here wrote, against a real node: only its base URL
 * and key change. Each test runs one scenario of {@code src/test/js/fivesim-api/fivesim-api-flow.js} and then
 * checks on the server what the client reported.
 */
class FiveSimApiClientTest {
  private static final Pattern ORDER_LINE = Pattern.compile("^order (\\d+) ([A-Z]+)$", Pattern.MULTILINE);

  private static TestApp app;
  /** Sandbox orders cannot be cancelled here until the early-cancel guard passes, so cancel runs on a node without one. */
  private static TestApp unguarded;
  private static NodeScript client;

  @BeforeAll
  static void start() {
    client = NodeScript.installed("fivesim-api", "fivesim-api-flow.js");
    app = TestApp.start();
    unguarded = TestApp.start(Map.of("early-cancel-guard", "0s"));
  }

  @AfterAll
  static void stop() {
    if (app != null) {
      app.close();
    }
    if (unguarded != null) {
      unguarded.close();
    }
  }

  @Test
  void buysWaitsForTheCodeAndFinishesThroughFivesimApi() {
    String output = scenario(app, "flow");

    assertThat(output).contains("ok - guest countries, products and prices list usa and whatsapp",
        "ok - check shows RECEIVED with code", "ok - inbox holds the SMS", "ok - finished the order",
        "ok - order history lists the finished order");
    assertReportedOrderIs(app, output, ActivationStatus.FINISHED);
  }

  @Test
  void cancelsWithARefundThroughFivesimApi() {
    String output = scenario(unguarded, "cancel");

    assertThat(output).contains("is back in the balance");
    assertReportedOrderIs(unguarded, output, ActivationStatus.CANCELED);
  }

  @Test
  void reportsABadKeyUnknownProductNoNumbersAndEarlyCancelAsFivesimApiErrors() {
    String output = scenario(app, "errors");

    assertThat(output).contains("ok - a bad key is an AuthenticationError",
        "ok - an unknown product is a ValidationError \"no product\"", "ok - no numbers is a NoPhoneNumbersError",
        "ok - an unknown order is a NotFoundError", "ok - cancelling at once is refused with \"you need to wait time\"",
        "ok - finishing without an SMS is refused with \"order no sms\"");
    assertReportedOrderIs(app, output, ActivationStatus.BANNED);
  }

  private static String scenario(TestApp node, String name) {
    NodeScript.Run run = client.run(node.baseUrl(), node.sandboxKey(), name);
    assertThat(run.exitCode()).as("fivesim-api %s scenario:%n%s", name, run.output()).isZero();
    assertThat(run.output()).doesNotContain("not ok");
    return run.output();
  }

  /** The order the script reported is in that state on the server too. */
  private static void assertReportedOrderIs(TestApp node, String output, ActivationStatus status) {
    Matcher reported = ORDER_LINE.matcher(output);
    assertThat(reported.find()).as(output).isTrue();
    assertThat(reported.group(2)).isEqualTo(status.name());
    Principal sandbox = node.principal(node.sandboxKey());
    assertThat(node.app().activations().get(sandbox, Integer.parseInt(reported.group(1))).status()).isEqualTo(status);
  }
}
