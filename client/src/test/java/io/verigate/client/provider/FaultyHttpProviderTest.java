package io.verigate.client.provider;

import static io.verigate.client.provider.InMemoryProviderTest.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.verigate.client.provider.ProviderException.Reason;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The HTTP providers against a real loopback server that misbehaves as scripted: 5xx, 429 with {@code Retry-After},
 * {@code BANNED} with it, HTML pages, dropped connections.
 */
class FaultyHttpProviderTest {
  /** One scripted answer: status, body and headers; a null body drops the connection without an answer. */
  private record Answer(int status, String body, Map<String, String> headers) {}

  private final Deque<Answer> script = new ArrayDeque<>();
  private final List<String> requests = new ArrayList<>();
  private final ManualTime time = new ManualTime();
  private HttpServer server;
  private Endpoint endpoint;

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", this::answer);
    server.start();
    endpoint = Endpoint.of("http://127.0.0.1:" + server.getAddress().getPort(), "secret-key")
        .withRequestTimeout(Duration.ofSeconds(5)).withTime(time, time);
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private synchronized void answer(HttpExchange exchange) throws IOException {
    requests.add(exchange.getRequestURI().toString());
    Answer answer = script.isEmpty() ? new Answer(500, "unscripted", Map.of()) : script.poll();
    if (answer.body() == null) {
      exchange.close();
      return;
    }
    answer.headers().forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
    byte[] body = answer.body().getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(answer.status(), body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  private synchronized void then(int status, String body, Map<String, String> headers) {
    script.add(new Answer(status, body, headers));
  }

  private void then(int status, String body) {
    then(status, body, Map.of());
  }

  private SmsActivateProvider smsActivate() {
    return new SmsActivateProvider("sa", endpoint);
  }

  private FiveSimProvider fiveSim() {
    return new FiveSimProvider("5sim", endpoint);
  }

  @Test
  void serverErrorsHtmlPagesAndDroppedConnectionsAreProviderDown() {
    then(503, "Service Unavailable");
    then(200, "<html><body>Bad gateway</body></html>");
    then(0, null);

    assertRefused(smsActivate()::balance, Reason.PROVIDER_DOWN);
    assertRefused(smsActivate()::balance, Reason.PROVIDER_DOWN);
    assertRefused(fiveSim()::balance, Reason.PROVIDER_DOWN);
  }

  @Test
  void a429CarriesTheProvidersRetryAfter() {
    then(429, "api limit", Map.of("Retry-After", "12"));

    assertThatThrownBy(() -> fiveSim().buy(Order.of("wa", "us"))).isInstanceOfSatisfying(ProviderException.class, e -> {
      assertThat(e.reason()).isEqualTo(Reason.RATE_LIMITED);
      assertThat(e.retryAfter()).contains(Duration.ofSeconds(12));
    });
  }

  @Test
  void thePollerWaitsOutRateLimitsWhileAwaitingACode() throws InterruptedException {
    then(200, "STATUS_WAIT_CODE");
    then(200, "BANNED:2026-12-01 10:01:00", Map.of("Retry-After", "20"));
    then(429, "", Map.of("X-RateLimit-Remaining", "0", "X-RateLimit-Reset", "9"));
    then(200, "STATUS_OK:123456");

    String code = smsActivate().awaitCode(new BoughtNumber("sa", "42", "+15550000000", "us", BigDecimal.ONE),
        Duration.ofMinutes(5));

    assertThat(code).isEqualTo("123456");
    assertThat(time.sleeps()).containsExactly(Duration.ofSeconds(3), Duration.ofSeconds(20), Duration.ofSeconds(9));
    assertThat(requests).allSatisfy(uri -> assertThat(uri).contains("action=getStatus").contains("id=42"));
  }

  @Test
  void smsActivateTriesTheRankedCountriesAndReadsTheNumber() {
    then(200, "NO_NUMBERS");
    then(200, "{\"activationId\":7,\"phoneNumber\":\"447700900123\",\"activationCost\":\"0.35\"}");

    BoughtNumber number = smsActivate().buy(Order.of("wa", "us", "gb").withMaxPrice(new BigDecimal("0.40")));

    assertThat(number).isEqualTo(new BoughtNumber("sa", "7", "+447700900123", "gb", new BigDecimal("0.35")));
    assertThat(requests.get(0)).contains("/stubs/handler_api.php?api_key=secret-key&action=getNumberV2")
        .contains("country=187").contains("maxPrice=0.40");
    assertThat(requests.get(1)).contains("country=16");
  }

  @Test
  void fiveSimUsesItsOwnCountryAndProductNamesAndABearerKey() {
    then(400, "no free phones");
    then(200, "{\"id\":9,\"phone\":\"+447700900123\",\"price\":0.35,\"status\":\"PENDING\"}");

    BoughtNumber number = fiveSim().buy(Order.of("wa", "us", "gb"));

    assertThat(number.phone()).isEqualTo("+447700900123");
    assertThat(requests).containsExactly("/v1/user/buy/activation/usa/any/whatsapp",
        "/v1/user/buy/activation/england/any/whatsapp");
  }
}
