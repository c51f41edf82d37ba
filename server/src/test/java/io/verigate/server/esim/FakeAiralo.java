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
 * credentials, a bearer token with {@code expires_in}), {@code POST orders} (a package and a quantity, answered
 * with the SIMs' ICCID, SM-DP+ address and matching id), {@code POST orders/topups} (a package and an ICCID),
 * {@code GET sims/{iccid}/usage} (the usage a test set, zeros for unlimited data) and {@code GET packages} (the
 * packages a test offers, nested as countries or regions, operators and packages, in pages with {@code links.next}).
 * A test can revoke every token (Airalo's answer is then 401), make the next order or top-up answer a refusal of its
 * choosing (a numbered 422, a 429 with Retry-After), and sign a webhook body as Airalo does.
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
  private final List<JsonNode> topUps = new CopyOnWriteArrayList<>();
  private final Map<String, Map<String, Object>> usage = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> usageRequests = new ConcurrentHashMap<>();
  private volatile List<Offer> offers = List.of();
  private final AtomicInteger packagePages = new AtomicInteger();

  /**
   * A package on offer: its area (a country's or a region's slug, title and country code, "" for a region), the
   * countries its operator covers, and the package's own fields as Airalo names them.
   */
  public record Offer(String slug, String title, String countryCode, List<String> countries,
      Map<String, Object> pack) {}

  /** An answer to give instead of an order: its status, JSON body and headers. */
  public record Refusal(int status, String body, Map<String, String> headers) {}

  public FakeAiralo() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/v2/token", this::token);
    server.createContext("/v2/orders", this::order);
    server.createContext("/v2/orders/topups", this::topUp);
    server.createContext("/v2/sims/", this::usage);
    server.createContext("/v2/packages", this::packages);
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

  /** The next order or top-up is answered with {@code refusal}. */
  public void refuseNextOrder(Refusal refusal) {
    nextRefusal = refusal;
  }

  /** The bodies of the top-up requests that carried a valid token (refused ones included). */
  public List<JsonNode> topUps() {
    return List.copyOf(topUps);
  }

  /** What {@code GET sims/{iccid}/usage} answers for the eSIM; unlimited data is answered with zeros, as Airalo does. */
  public void usage(String iccid, String status, long remainingMb, long totalMb, boolean unlimited) {
    usage.put(iccid, Map.of("remaining", unlimited ? 0 : remainingMb, "total", unlimited ? 0 : totalMb,
        "expired_at", "2026-08-01 00:00:00", "is_unlimited", unlimited, "status", status, "remaining_voice", 0,
        "remaining_text", 0, "total_voice", 0, "total_text", 0));
  }

  public int usageRequests(String iccid) {
    return usageRequests.computeIfAbsent(iccid, i -> new AtomicInteger()).get();
  }

  /** The packages {@code GET packages} lists from now on. */
  public void offer(List<Offer> offered) {
    offers = List.copyOf(offered);
  }

  public int packagePages() {
    return packagePages.get();
  }

  /** A package as Airalo lists it: {@code type} sim or topup, {@code netPrice} what it charges us, as exact decimals. */
  public static Map<String, Object> pack(String id, String type, String netPrice, long amountMb, int days,
      boolean unlimited) {
    Map<String, Object> pack = new HashMap<>();
    pack.put("id", id);
    pack.put("type", type);
    pack.put("price", new java.math.BigDecimal(netPrice).multiply(new java.math.BigDecimal("1.3")));
    pack.put("net_price", new java.math.BigDecimal(netPrice));
    pack.put("amount", unlimited ? 0 : amountMb);
    pack.put("day", days);
    pack.put("is_unlimited", unlimited);
    pack.put("title", (unlimited ? "Unlimited" : amountMb / 1024 + " GB") + " - " + days + " Days");
    pack.put("voice", null);
    pack.put("text", null);
    return pack;
  }

  /** The {@code airalo-signature} Airalo sends with a webhook body: hex HMAC-SHA512 of it under the client secret. */
  public static String signature(String body) {
    try {
      javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA512");
      mac.init(new javax.crypto.spec.SecretKeySpec(CLIENT_SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA512"));
      return java.util.HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
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

  /** False, with Airalo's 401 sent, when the request carries no token it issued. */
  private boolean authorized(HttpExchange exchange) throws IOException {
    String auth = exchange.getRequestHeaders().getFirst("Authorization");
    if (auth == null || !auth.startsWith("Bearer ") || !validTokens.contains(auth.substring(7))) {
      answer(exchange, 401, "{\"data\":[],\"meta\":{\"message\":\"Unauthenticated.\"}}", Map.of());
      return false;
    }
    return true;
  }

  /** True, with the refusal sent, when a test asked for the next order or top-up to be refused. */
  private boolean refused(HttpExchange exchange) throws IOException {
    Refusal refusal = nextRefusal;
    if (refusal == null) {
      return false;
    }
    nextRefusal = null;
    answer(exchange, refusal.status(), refusal.body(), refusal.headers());
    return true;
  }

  private void topUp(HttpExchange exchange) throws IOException {
    if (!authorized(exchange)) {
      return;
    }
    JsonNode request = JSON.readTree(exchange.getRequestBody());
    topUps.add(request);
    if (refused(exchange)) {
      return;
    }
    Map<String, Object> data = Map.of("id", topUps.size(), "package_id", request.path("package_id").asText(),
        "quantity", 1, "type", "topup", "sims", List.of(Map.of("iccid", request.path("iccid").asText())));
    answer(exchange, 200, JSON.writeValueAsString(Map.of("data", data, "meta", Map.of("message", "success"))), Map.of());
  }

  private void usage(HttpExchange exchange) throws IOException {
    if (!authorized(exchange)) {
      return;
    }
    String[] parts = exchange.getRequestURI().getPath().split("/");
    String iccid = parts.length == 5 && parts[4].equals("usage") ? parts[3] : "";
    usageRequests.computeIfAbsent(iccid, i -> new AtomicInteger()).incrementAndGet();
    Map<String, Object> data = usage.get(iccid);
    if (data == null) {
      answer(exchange, 404, "{\"data\":[],\"meta\":{\"message\":\"Not found\"}}", Map.of());
      return;
    }
    answer(exchange, 200, JSON.writeValueAsString(Map.of("data", data, "meta", Map.of("message", "api.succes"))),
        Map.of());
  }

  /** One page of the offers, grouped as Airalo nests them: area, its operator, the operator's packages. */
  private void packages(HttpExchange exchange) throws IOException {
    if (!authorized(exchange)) {
      return;
    }
    packagePages.incrementAndGet();
    Map<String, String> query = new HashMap<>();
    String raw = exchange.getRequestURI().getRawQuery();
    for (String pair : raw == null ? new String[0] : raw.split("&")) {
      String[] kv = pair.split("=", 2);
      query.put(kv[0], kv.length > 1 ? kv[1] : "");
    }
    int limit = Integer.parseInt(query.getOrDefault("limit", "10"));
    int page = Integer.parseInt(query.getOrDefault("page", "1"));
    List<Offer> all = offers;
    List<Offer> slice = all.subList(Math.min(all.size(), (page - 1) * limit), Math.min(all.size(), page * limit));
    List<Map<String, Object>> data = new ArrayList<>();
    for (Offer offer : slice) {
      Map<String, Object> operator = Map.of("id", 1, "title", "Test Operator", "type", offer.countries().size() > 1
          ? "global" : "local", "countries", offer.countries().stream().map(c -> Map.of("country_code", c, "title", c))
          .toList(), "packages", List.of(offer.pack()));
      data.add(Map.of("slug", offer.slug(), "title", offer.title(), "country_code", offer.countryCode(),
          "operators", List.of(operator)));
    }
    Map<String, Object> links = new HashMap<>();
    links.put("next", page * limit < all.size() ? url() + "packages?page=" + (page + 1) : null);
    Map<String, Object> body = new HashMap<>();
    body.put("data", data);
    body.put("links", links);
    body.put("meta", Map.of("message", "success", "current_page", page));
    answer(exchange, 200, JSON.writeValueAsString(body), Map.of());
  }

  private void order(HttpExchange exchange) throws IOException {
    if (!authorized(exchange)) {
      return;
    }
    JsonNode request = JSON.readTree(exchange.getRequestBody());
    orders.add(request);
    try {
      orderGate.await(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (refused(exchange)) {
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
