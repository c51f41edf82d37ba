package io.verigate.server.http.dashboard;

import static io.verigate.server.testing.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import io.verigate.server.account.Accounts;
import io.verigate.server.account.Mode;
import io.verigate.server.http.support.Json;
import io.verigate.server.testing.Browser;
import io.verigate.server.testing.TestApp;
import io.verigate.server.testing.TestNumbers;
import io.verigate.server.wallet.Money;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.support.ui.Select;

/**
 * The dashboard in a real browser (headless Chromium), against a real node: what a customer and an operator do, and
 * the session's defences. One browser for the class; each test logs in as it needs.
 */
class DashboardBrowserTest {
  private static final AtomicInteger NEXT = new AtomicInteger();
  private static final String PASSWORD = "correct horse battery";
  private static TestApp app;
  private static Browser browser;

  @BeforeAll
  static void start() {
    browser = Browser.start();
    // A sandbox code arrives a few seconds after the purchase: long enough to see the page wait for it.
    app = TestApp.start(Map.of("dashboard-sign-up", "true", "sandbox-delivery-delay", "3s"));
  }

  @AfterAll
  static void stop() {
    if (browser != null) {
      browser.close();
    }
    if (app != null) {
      app.close();
    }
  }

  @Test
  void aCustomerSignsUpCreatesAKeyAndWatchesASandboxCodeArriveWithoutAReload() throws Exception {
    String email = signUp();
    assertThat(browser.driver().getCurrentUrl()).endsWith("/dashboard?mode=test");
    Money before = Money.parse(browser.find("#balance span").getText());
    assertThat(before).isEqualTo(Money.parse("100.00"));
    browser.screenshot("wallet", false);

    browser.open(app.baseUrl() + "/dashboard/keys?mode=test");
    browser.fill("form[action='/dashboard/keys']", "label", "signup service");
    String key = browser.await("#new-key").getText();
    assertThat(key).startsWith("vg_test_");
    assertThat(balanceWith(key)).isEqualTo(200);
    browser.screenshot("keys", false);

    logOut();
    browser.open(app.baseUrl() + "/dashboard/login");
    browser.fill("form[action='/dashboard/login']", "email", email, "password", PASSWORD);
    browser.await("#balance");
    assertThat(browser.driver().getCurrentUrl()).contains("/dashboard").doesNotContain("/login");

    browser.open(app.baseUrl() + "/dashboard/buy?mode=test");
    JavascriptExecutor js = browser.driver();
    js.executeScript("window.swapped = false;"
        + "document.body.addEventListener('htmx:afterSwap', function () { window.swapped = true; });");
    new Select(browser.find("#service")).selectByValue("wa");
    // Choosing a service swaps in its countries (htmx): wait for WhatsApp's before choosing one.
    eventually("WhatsApp's countries are in", () -> Boolean.TRUE.equals(js.executeScript("return window.swapped;")));
    new Select(browser.find("#country")).selectByValue("TR");
    browser.find("form[action='/dashboard/buy'] button[type=submit]").click();
    browser.await("#waiting");
    js.executeScript("window.sameDocument = true;");
    browser.await("#code");
    String code = browser.text("#code");
    assertThat(code).matches("[0-9]{4,8}");
    assertThat(js.executeScript("return window.sameDocument === true;")).as("the code came without a reload")
        .isEqualTo(true);
    browser.screenshot("activation", false);

    browser.find("#finish").click();
    eventually("the activation shows as finished", () -> browser.text("#status").equals("finished"));
    browser.open(app.baseUrl() + "/dashboard?mode=test");
    assertThat(Money.parse(browser.find("#balance span").getText())).isEqualTo(before.minus(Money.parse("0.50")));
    browser.open(app.baseUrl() + "/dashboard/activations?mode=test");
    new Select(browser.find("#status")).selectByValue("finished");
    browser.find("form[action='/dashboard/activations'] button").click();
    // The click loads a new page: until it has, the old page's table is still there to be found, then goes stale.
    eventually("the filtered history is shown",
        () -> browser.driver().getCurrentUrl().contains("status=finished"));
    assertThat(browser.text("table")).contains(code, "finished");
    Object csv = js.executeAsyncScript("var done = arguments[0];"
        + "fetch(document.getElementById('export').href).then(function (r) { return r.text(); }).then(done);");
    assertThat(csv.toString().lines().findFirst()).hasValue("id,bought,service,country,phone,status,code,price,currency,sms");
    assertThat(csv.toString()).contains(",wa,TR,", ",finished," + code + ",0.50,USD,\"Your WhatsApp code");
    browser.screenshot("activations", true);
  }

  @Test
  void theOperatorCreditsAWalletAndImportsNumbersFromACsvUpload() throws Exception {
    TestApp.Customer customer = app.liveCustomer("0");
    TestApp.Source source = app.createSource();
    browser.open(app.baseUrl() + "/operator/login");
    browser.fill("form[action='/operator/login']", "token", app.adminToken());

    browser.fill("#customer-" + customer.id() + " form", "amount", "12.50", "memo", "bank transfer 42");
    assertThat(browser.await(".notice").getText()).contains("Credited 12.50");
    assertThat(browser.find("#customer-" + customer.id() + " .live").getText()).isEqualTo("12.50");
    assertThat(app.app().wallets().balance(customer.id(), Mode.LIVE).available()).isEqualTo(Money.parse("12.50"));
    browser.screenshot("operator-customers", false);

    List<String> numbers = List.of(TestNumbers.freshMobile("TR"), TestNumbers.freshMobile("TR"),
        TestNumbers.freshMobile("TR"));
    Path csv = Files.createTempFile("numbers", ".csv");
    Files.writeString(csv, "number,operator\n" + String.join("\n", numbers) + "\n");
    browser.open(app.baseUrl() + "/operator/numbers");
    new Select(browser.find("#source")).selectByValue(source.name());
    browser.find("#csv").sendKeys(csv.toAbsolutePath().toString());
    browser.find("form[action='/operator/numbers'] button[type=submit]").click();
    assertThat(browser.await("#imported").getText()).contains("Imported 3 numbers");
    assertThat(app.app().inventory().availability(Mode.LIVE, "wa").get("TR")).isGreaterThanOrEqualTo(3);
    browser.screenshot("operator-numbers", false);

    // The numbers are on the public coverage pages: read here for the first time on this node, so no figures from
    // before the import are cached.
    // The credited customer buys one of the imported numbers live, and its code arrives: 100 % on the public pages.
    HttpResponse<String> bought = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
            URI.create(app.baseUrl() + "/api/v1/activations")).header("x-api-key", customer.key())
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"service\":\"wa\",\"country\":\"TR\"}")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(bought.statusCode()).as(bought.body()).isEqualTo(201);
    String phone = Json.MAPPER.readTree(bought.body()).get("phoneNumber").asText();
    app.deliver(source, phone, "WhatsApp", "Your WhatsApp code: 482-913", Instant.now());

    browser.open(app.baseUrl() + "/");
    assertThat(browser.find("#countries").getText()).contains("Turkey", "100 %");
    browser.await("#success-chart");
    browser.screenshot("countries", false);
    browser.find("#countries a").click();
    browser.await("#coverage");
    assertThat(browser.text("#coverage")).contains("WhatsApp");
    browser.screenshot("coverage", false);
    browser.open(app.baseUrl() + "/operator/delivery");
    assertThat(browser.find("#delivery").getText()).contains("Turkey", "WhatsApp", "100 %");
    browser.await("#success-chart");
    browser.await("#service-chart");
    browser.screenshot("operator-delivery", false);
    logOut("/operator/logout");
  }

  @Test
  void aFormPostedFromAnotherSiteIsRefused() throws IOException {
    String email = signUp();
    long customerId = customerNamed(email);
    // Another site's page, which posts a form to the dashboard as soon as it loads.
    HttpServer attacker = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    String page = "<!DOCTYPE html><html><body><form id=f method=post action='" + app.baseUrl() + "/dashboard/keys'>"
        + "<input name=label value=stolen><input name=scope value=keys><input name=mode value=test></form>"
        + "<script>document.getElementById('f').submit()</script></body></html>";
    attacker.createContext("/", exchange -> {
      byte[] body = page.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "text/html");
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    attacker.start();
    try {
      // localhost and 127.0.0.1 are different sites to the browser.
      browser.open("http://localhost:" + attacker.getAddress().getPort() + "/");
      eventually("the browser posted the form", () -> browser.driver().getCurrentUrl().startsWith(app.baseUrl()));
      browser.await("main");
      assertThat(browser.text("main")).containsAnyOf("another site", "Log in");
    } finally {
      attacker.stop(0);
    }
    // The same page's own script, posting without the session's CSRF token, is refused too.
    browser.open(app.baseUrl() + "/dashboard/keys?mode=test");
    Object status = ((JavascriptExecutor) browser.driver()).executeAsyncScript(
        "var done = arguments[0];"
            + "fetch('/dashboard/keys', {method: 'POST', body: new URLSearchParams({label: 'x', mode: 'test'})})"
            + ".then(function (r) { done(r.status); });");
    assertThat(status).isEqualTo(403L);
    assertThat(app.app().keys().list(customerId)).isEmpty();
    logOut();
  }

  @Test
  void aLoggedOutSessionCannotReadAPage() throws Exception {
    signUp();
    Cookie session = browser.driver().manage().getCookieNamed(Sessions.COOKIE);
    assertThat(session.isHttpOnly()).isTrue();
    assertThat(session.getSameSite()).isEqualTo("Strict");
    logOut();
    assertThat(browser.driver().getCurrentUrl()).endsWith("/dashboard/login");

    // The old cookie, put back, opens nothing: the session ended on the node, not only in the browser.
    browser.driver().manage().addCookie(session);
    browser.open(app.baseUrl() + "/dashboard?mode=test");
    assertThat(browser.driver().getCurrentUrl()).endsWith("/dashboard/login");
    HttpResponse<String> replayed = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
            URI.create(app.baseUrl() + "/dashboard/keys")).header("Cookie", Sessions.COOKIE + "=" + session.getValue())
        .build(), HttpResponse.BodyHandlers.ofString());
    assertThat(replayed.statusCode()).isEqualTo(303);
    assertThat(replayed.headers().firstValue("Location")).hasValue("/dashboard/login");
  }

  /** Signs a new customer up in the browser (logging out whoever was logged in); returns its email. */
  private static String signUp() {
    browser.driver().manage().deleteAllCookies();
    String email = "customer" + NEXT.incrementAndGet() + "@example.com";
    browser.open(app.baseUrl() + "/dashboard/signup");
    browser.fill("form[action='/dashboard/signup']", "email", email, "password", PASSWORD, "repeat", PASSWORD);
    browser.await("#balance");
    return email;
  }

  private static void logOut() {
    logOut("/dashboard/logout");
  }

  private static void logOut(String action) {
    browser.find("form[action='" + action + "'] button").click();
    browser.await("form[action$='/login']");
  }

  private static long customerNamed(String email) {
    Accounts accounts = app.app().accounts();
    return accounts.customers().stream().filter(c -> c.name().equals(email)).findFirst().orElseThrow().id();
  }

  private static int balanceWith(String key) throws Exception {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(app.baseUrl() + "/api/v1/wallet/balance"))
        .header("x-api-key", key).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
  }
}
