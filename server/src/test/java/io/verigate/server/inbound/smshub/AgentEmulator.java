package io.verigate.server.inbound.smshub;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.verigate.server.http.support.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A SIM-bank agent on loopback, speaking the agent side of the SMSHub protocol as a certified agent does: gzip in
 * both directions, honest counts, exceptionPhoneSet honoured, FINISH_ACTIVATION idempotent. It records every request
 * it was sent, and can be made slow (GET_NUMBER held until released), down (FINISH answered with HTTP 503) or
 * careless (exceptionPhoneSet ignored).
 */
final class AgentEmulator implements AutoCloseable {
  private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  /** A request as the agent received it. */
  record Request(String action, JsonNode body, String userAgent, String contentEncoding) {}

  private final String key;
  private final HttpServer server;
  private final ExecutorService threads = Executors.newCachedThreadPool();
  private final List<Request> received = new CopyOnWriteArrayList<>();
  private final Map<String, Map<String, Map<String, Integer>>> stock = new ConcurrentHashMap<>();
  private final Deque<Long> numbers = new ArrayDeque<>();
  private final Map<Long, Long> handedOut = new ConcurrentHashMap<>();
  private final AtomicLong nextActivationId = new AtomicLong(5000);
  private final AtomicLong nextSmsId = new AtomicLong(900);
  private final AtomicInteger finishFailures = new AtomicInteger();
  private volatile CountDownLatch numberGate = new CountDownLatch(0);
  private volatile boolean honoursExcludedPrefixes = true;

  AgentEmulator(String key) {
    this.key = key;
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.createContext("/smshub", this::handle);
    server.setExecutor(threads);
    server.start();
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/smshub";
  }

  String key() {
    return key;
  }

  /** What GET_SERVICES reports for the service with the operator in the country (the agent's names). */
  AgentEmulator stock(String country, String operator, String service, int count) {
    stock.computeIfAbsent(country, c -> new ConcurrentHashMap<>())
        .computeIfAbsent(operator, o -> new ConcurrentHashMap<>()).put(service, count);
    return this;
  }

  /** A SIM number (digits with country code) GET_NUMBER hands out, in the order offered. */
  synchronized AgentEmulator offer(long number) {
    numbers.add(number);
    return this;
  }

  /** GET_NUMBER answers only once {@link #answerHeldNumbers()} is called. */
  void holdNumbers() {
    numberGate = new CountDownLatch(1);
  }

  void answerHeldNumbers() {
    numberGate.countDown();
  }

  /** GET_NUMBER hands out numbers whatever exceptionPhoneSet says, as an agent that would fail certification. */
  void ignoreExcludedPrefixes() {
    honoursExcludedPrefixes = false;
  }

  /** The next {@code times} FINISH_ACTIVATIONs are answered with HTTP 503, as during an outage. */
  void failFinishes(int times) {
    finishFailures.set(times);
  }

  /** The activation id GET_NUMBER answered with when it handed out this number. */
  long activationIdOf(long number) {
    return handedOut.get(number);
  }

  List<Request> requests(String action) {
    return received.stream().filter(r -> r.action().equals(action)).toList();
  }

  /** PUSH_SMS to the hub as the protocol has it: gzip-compressed JSON with numeric smsId and phone. */
  JsonNode push(String hubBaseUrl, long smsId, long phone, String from, String text) {
    ObjectNode sms = Json.MAPPER.createObjectNode().put("smsId", smsId).put("phoneFrom", from).put("phone", phone)
        .put("text", text).put("action", "PUSH_SMS").put("key", key);
    return post(hubBaseUrl, Gzip.compress(Json.write(sms).getBytes(java.nio.charset.StandardCharsets.UTF_8)), true);
  }

  long nextSmsId() {
    return nextSmsId.incrementAndGet();
  }

  /** A raw body to the hub's PUSH_SMS endpoint, to see what it does with bodies a real agent would not send. */
  static JsonNode post(String hubBaseUrl, byte[] body, boolean gzip) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(hubBaseUrl + "/api/v1/inbound/smshub"))
        .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json").header("User-Agent", "emulated-agent/1")
        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (gzip) {
      request.header("Content-Encoding", "gzip");
    }
    try {
      HttpResponse<String> reply = CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
      return Json.MAPPER.readTree(reply.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String encoding = exchange.getRequestHeaders().getFirst("Content-Encoding");
      byte[] raw = exchange.getRequestBody().readAllBytes();
      JsonNode body = Json.MAPPER.readTree(Gzip.isCompressed(raw, encoding) ? Gzip.decompress(raw, 1 << 20) : raw);
      String action = body.path("action").asText();
      received.add(new Request(action, body, exchange.getRequestHeaders().getFirst("User-Agent"), encoding));
      if (!key.equals(body.path("key").asText())) {
        reply(exchange, 200, Map.of("status", "ERROR", "error", "wrong key"));
        return;
      }
      switch (action) {
        case "GET_SERVICES" -> reply(exchange, 200, services());
        case "GET_NUMBER" -> reply(exchange, 200, number(body));
        case "FINISH_ACTIVATION" -> {
          if (finishFailures.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            reply(exchange, 503, Map.of("status", "ERROR", "error", "down for maintenance"));
          } else {
            reply(exchange, 200, Map.of("status", "SUCCESS"));
          }
        }
        default -> reply(exchange, 200, Map.of("status", "ERROR", "error", "unknown action"));
      }
    }
  }

  private Map<String, Object> services() {
    List<Map<String, Object>> countries = stock.entrySet().stream()
        .map(country -> Map.<String, Object>of("country", country.getKey(), "operatorMap", country.getValue()))
        .toList();
    return Map.of("countryList", countries, "status", "SUCCESS");
  }

  private Map<String, Object> number(JsonNode request) {
    try {
      if (!numberGate.await(30, TimeUnit.SECONDS)) {
        return Map.of("status", "ERROR", "error", "held too long");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Map.of("status", "ERROR", "error", "interrupted");
    }
    Long number = nextNumber(honoursExcludedPrefixes ? request.path("exceptionPhoneSet") : Json.MAPPER.createArrayNode());
    if (number == null) {
      return Map.of("status", "NO_NUMBERS");
    }
    long activationId = nextActivationId.incrementAndGet();
    handedOut.put(number, activationId);
    // Honest counts: the next GET_SERVICES reports one number fewer.
    Map<String, Integer> counts = stock.getOrDefault(request.path("country").asText(), Map.of())
        .get(request.path("operator").asText());
    if (counts != null) {
      counts.computeIfPresent(request.path("service").asText(), (service, n) -> Math.max(0, n - 1));
    }
    return Map.of("number", number, "activationId", activationId, "status", "SUCCESS");
  }

  private synchronized Long nextNumber(JsonNode excluded) {
    for (Long candidate : numbers) {
      boolean allowed = true;
      for (JsonNode prefix : excluded) {
        allowed &= !String.valueOf(candidate).startsWith(prefix.asText());
      }
      if (allowed) {
        numbers.remove(candidate);
        return candidate;
      }
    }
    return null;
  }

  private static void reply(HttpExchange exchange, int status, Object body) throws IOException {
    byte[] json = Json.write(body).getBytes(java.nio.charset.StandardCharsets.UTF_8);
    String accepts = exchange.getRequestHeaders().getFirst("Accept-Encoding");
    boolean gzip = accepts != null && accepts.contains("gzip");
    byte[] out = gzip ? Gzip.compress(json) : json;
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    if (gzip) {
      exchange.getResponseHeaders().set("Content-Encoding", "gzip");
    }
    exchange.sendResponseHeaders(status, out.length);
    exchange.getResponseBody().write(out);
  }

  @Override
  public void close() {
    numberGate.countDown();
    server.stop(0);
    threads.shutdownNow();
  }
}
