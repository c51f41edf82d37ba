package io.verigate.server.esim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/**
 * Airalo's Partner API v2 as its documentation describes it, on loopback: {@code POST token} (form-encoded client
 * credentials, a bearer token with {@code expires_in}) and {@code POST orders} (a package and a quantity, answered
 * with the SIMs' ICCID, SM-DP+ address and matching id). A test can revoke every token (Airalo's answer is then 401),
 * and make the next order answer a refusal of its choosing (a numbered 422, a 429 with Retry-After).
 */
public final class FakeAiralo implements AutoCloseable {
  public static final String CLIENT_ID = "verigate-test";
  public static final String CLIENT_SECRET = "s3cret";
  public static final String SMDP = "lpa.airalo.test";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpServer server;
  private final Set<String> validTokens = ConcurrentHashMap.newKeySet();
  private final AtomicInteger tokenRequests = new AtomicInteger();
  private final AtomicInteger issued = new AtomicInteger();
  private final List<JsonNode> orders = new CopyOnWriteArrayList<>();
  private volatile long expiresIn = 86_400;
  private volatile Refusal nextRefusal;
  private volatile CountDownLatch orderGate = new CountDownLatch(0);

  /** An answer to give instead of an order: its status, JSON body and headers. */
  public record Refusal(int status, String body, Map<String, String> headers) {}

  public FakeAiralo() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/v2/token", this::token);
    server.createContext("/v2/orders", this::order);
    server.start();
  }

  public String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/v2/";
  }

  public int tokenRequests() {
    return tokenRequests.get();
  }

  /** The bodies of the order requests that carried a valid token. */
  public List<JsonNode> orders() {
    return List.copyOf(orders);
  }

  public void expiresIn(long seconds) {
    expiresIn = seconds;
  }

  /** Every token issued so far ends, as when Airalo's 24 hours are over. */
  public void revokeTokens() {
    validTokens.clear();
  }

  /** Orders are answered only once {@code gate} opens (they are recorded at once), for tests of what happens meanwhile. */
  public void holdOrdersUntil(CountDownLatch gate) {
    orderGate = gate;
  }

  public void refuseNextOrder(Refusal refusal) {
    nextRefusal = refusal;
  }

  private void token(HttpExchange exchange) throws IOException {
    tokenRequests.incrementAndGet();
    Map<String, String> form = Arrays.stream(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)
            .split("&"))
        .map(pair -> pair.split("=", 2))
        .collect(Collectors.toMap(p -> p[0], p -> p.length > 1 ? URLDecoder.decode(p[1], StandardCharsets.UTF_8) : ""));
    if (!CLIENT_ID.equals(form.get("client_id")) || !CLIENT_SECRET.equals(form.get("client_secret"))
        || !"client_credentials".equals(form.get("grant_type"))) {
      answer(exchange, 401, "{\"data\":[],\"meta\":{\"message\":\"Unauthorized\"}}", Map.of());
      return;
    }
    String token = "token-" + issued.incrementAndGet();
    validTokens.add(token);
    answer(exchange, 200, "{\"data\":{\"token_type\":\"Bearer\",\"expires_in\":" + expiresIn + ",\"access_token\":\""
        + token + "\"},\"meta\":{\"message\":\"success\"}}", Map.of());
  }

  private void order(HttpExchange exchange) throws IOException {
    String auth = exchange.getRequestHeaders().getFirst("Authorization");
    if (auth == null || !auth.startsWith("Bearer ") || !validTokens.contains(auth.substring(7))) {
      answer(exchange, 401, "{\"data\":[],\"meta\":{\"message\":\"Unauthenticated.\"}}", Map.of());
      return;
    }
    JsonNode request = JSON.readTree(exchange.getRequestBody());
    orders.add(request);
    try {
      orderGate.await(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    Refusal refusal = nextRefusal;
    if (refusal != null) {
      nextRefusal = null;
      answer(exchange, refusal.status(), refusal.body(), refusal.headers());
      return;
    }
    List<Map<String, Object>> sims = new ArrayList<>();
    for (int i = 0; i < request.path("quantity").asInt(); i++) {
      String iccid = EsimTestSupport.freshIccid();
      Map<String, Object> sim = new HashMap<>();
      sim.put("iccid", iccid);
      sim.put("lpa", SMDP);
      sim.put("matching_id", "TEST-" + iccid.substring(12));
      sim.put("qrcode", "LPA:1$" + SMDP + "$TEST-" + iccid.substring(12));
      sim.put("confirmation_code", null);
      sims.add(sim);
    }
    Map<String, Object> data = Map.of("id", orders.size(), "package_id", request.path("package_id").asText(),
        "quantity", request.path("quantity").asInt(), "sims", sims);
    answer(exchange, 200, JSON.writeValueAsString(Map.of("data", data, "meta", Map.of("message", "success"))), Map.of());
  }

  private static void answer(HttpExchange exchange, int status, String body, Map<String, String> headers)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    headers.forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
