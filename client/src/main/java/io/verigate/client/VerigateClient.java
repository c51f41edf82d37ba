package io.verigate.client;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.StringJoiner;
import java.util.concurrent.TimeUnit;

/**
 * A client of one Verigate server's REST API, authenticated by one API key (sent as {@code x-api-key}).
 * Create it with {@link #create(String, String)} or {@link #builder(String, String)}; see the package
 * documentation for a complete example. Every method either returns the server's answer or throws
 * {@link VerigateException} with the server's refusal; transport failures are {@link UncheckedIOException}s.
 */
public final class VerigateClient {
  /**
   * The request header with which a reselling node names the Verigate nodes a purchase passed through, node ids
   * separated by commas, oldest first.
   */
  public static final String VIA_HEADER = "Verigate-Via";
  private static final ObjectMapper JSON = new ObjectMapper()
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .registerModule(new SimpleModule().addDeserializer(Instant.class, new InstantDeserializer()));
  private static final String API = "/api/v1";
  /** The longest wait the server holds a long poll for. */
  private static final long MAX_WAIT_SECONDS = 25;

  private final String baseUrl;
  private final String apiKey;
  private final HttpClient http;
  private final Duration requestTimeout;

  private VerigateClient(Builder b) {
    this.baseUrl = b.baseUrl.endsWith("/") ? b.baseUrl.substring(0, b.baseUrl.length() - 1) : b.baseUrl;
    this.apiKey = b.apiKey;
    this.http = b.http != null ? b.http : HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    this.requestTimeout = b.requestTimeout;
  }

  /** A client with default settings: a 30 s request timeout (long polls get their wait on top). */
  public static VerigateClient create(String baseUrl, String apiKey) {
    return builder(baseUrl, apiKey).build();
  }

  public static Builder builder(String baseUrl, String apiKey) {
    return new Builder(baseUrl, apiKey);
  }

  public Balance balance() {
    return send(get(API + "/wallet/balance"), Balance.class);
  }

  /** Buys a number; {@code 201} with the new activation, or a refusal such as {@code NO_NUMBERS} or {@code NO_BALANCE}. */
  public Activation buy(BuyRequest order) {
    return buy(order, List.of());
  }

  /**
   * Buys a number for a node that resells it: {@code via} names the Verigate nodes the purchase passed through
   * ({@value #VIA_HEADER}), so the server does not resell it back along the path.
   */
  public Activation buy(BuyRequest order, List<String> via) {
    ObjectNode body = JSON.createObjectNode();
    putIfPresent(body, "serviceCode", order.serviceCode());
    if (order.countries() != null) {
      order.countries().forEach(body.putArray("countries")::add);
    }
    putIfPresent(body, "countryIso", order.countryIso());
    putIfPresent(body, "operator", order.operator());
    putIfPresent(body, "maxPrice", order.maxPrice() == null ? null : order.maxPrice().toPlainString());
    HttpRequest.Builder request = post(API + "/activations", body);
    if (order.idempotencyKey() != null) {
      request.header("Idempotency-Key", order.idempotencyKey());
    }
    if (!via.isEmpty()) {
      request.header(VIA_HEADER, String.join(",", via));
    }
    return send(request, Activation.class);
  }

  public Activation activation(int id) {
    return send(get(API + "/activations/" + id), Activation.class);
  }

  public ActivationPage activations(ListFilter filter) {
    Map<String, Object> query = new LinkedHashMap<>();
    query.put("status", filter.status());
    query.put("service", filter.service());
    query.put("country", filter.country());
    query.put("before", filter.before());
    query.put("limit", filter.limit());
    return send(get(API + "/activations" + queryString(query)), ActivationPage.class);
  }

  /** Gives the number back before any code arrived; refunded. Refused during the early-cancel guard. */
  public Activation cancel(int id) {
    return action(id, "cancel");
  }

  /** Confirms the code worked; this is when the price is charged. */
  public Activation finish(int id) {
    return action(id, "finish");
  }

  /** Asks for another code on the same number; the activation is {@code WAITING} again. */
  public Activation resend(int id) {
    return action(id, "resend");
  }

  /** Reports that the service refused the number (already used or banned); refunded, never sold again for it. */
  public Activation ban(int id) {
    return action(id, "ban");
  }

  public List<Service> services() {
    return send(get(API + "/services"), new TypeReference<>() {});
  }

  public List<Country> countries() {
    return send(get(API + "/countries"), new TypeReference<>() {});
  }

  /** Prices and free numbers for a service, in one country or (with {@code country} null) every country offered. */
  public List<Price> prices(String service, String country) {
    Map<String, Object> query = new LinkedHashMap<>();
    query.put("service", service);
    query.put("country", country);
    return send(get(API + "/prices" + queryString(query)), new TypeReference<>() {});
  }

  /** The travel eSIM plans on offer that work in {@code country} (an ISO code; null for every plan), cheapest first. */
  public List<EsimPlan> esimPlans(String country) {
    Map<String, Object> query = new LinkedHashMap<>();
    query.put("country", country);
    return send(get(API + "/esims/plans" + queryString(query)), new TypeReference<>() {});
  }

  /**
   * Orders {@code quantity} eSIMs of a plan, charged at once; with an {@code idempotencyKey} (or null), a repeat
   * returns the first order without charging again. Refused with {@code NO_BALANCE}, {@code ESIM_OUT_OF_STOCK}, ...
   */
  public EsimOrder orderEsims(String planId, int quantity, String idempotencyKey) {
    ObjectNode body = JSON.createObjectNode().put("planId", planId).put("quantity", quantity);
    HttpRequest.Builder request = post(API + "/esims/orders", body);
    if (idempotencyKey != null) {
      request.header("Idempotency-Key", idempotencyKey);
    }
    return send(request, EsimOrder.class);
  }

  /** Sandbox keys only: delivers {@code text} to one of the caller's activations as if {@code from} sent it. */
  public SandboxDelivery sandboxSms(int id, String from, String text) {
    ObjectNode body = JSON.createObjectNode();
    putIfPresent(body, "from", from);
    putIfPresent(body, "text", text);
    return send(post(API + "/sandbox/activations/" + id + "/sms", body), SandboxDelivery.class);
  }

  /**
   * Waits until the activation leaves {@code WAITING} (a code arrived or it ended) or {@code timeout} passes, and
   * returns it as last seen: check {@link Activation#hasCode()}. It long-polls: the server holds each request until
   * the activation changes from the version this client last saw (up to 25 s), so the code is returned the moment
   * it lands, with one request per change or per 25 s instead of one per poll interval.
   */
  public Activation awaitCode(int id, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    Seen seen = read(get(API + "/activations/" + id), null);
    while (seen.activation().isWaiting()) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        break;
      }
      long seconds = Math.min(MAX_WAIT_SECONDS, TimeUnit.NANOSECONDS.toSeconds(left));
      if (seconds < 1) {
        // The server waits in whole seconds: the timeout's last fraction is waited here, then read once more, so the
        // caller gets the state at its deadline rather than up to a second before it.
        TimeUnit.NANOSECONDS.sleep(left);
        seen = read(get(API + "/activations/" + id), seen);
        break;
      }
      seen = read(get(API + "/activations/" + id + "?wait=" + seconds)
          .timeout(requestTimeout.plusSeconds(seconds)), seen);
    }
    return seen.activation();
  }

  /** An activation with the version ({@code ETag}) it was read at. */
  private record Seen(Activation activation, String version) {}

  /** A conditional read: the activation as it is now, or {@code before} again when the server answers 304. */
  private Seen read(HttpRequest.Builder request, Seen before) throws InterruptedException {
    if (before != null && before.version() != null) {
      request.header("If-None-Match", before.version());
    }
    HttpRequest built = request.build();
    HttpResponse<String> response = exchange(built);
    if (response.statusCode() == 304 && before != null) {
      return before;
    }
    Activation activation = parse(built, response, JSON.getTypeFactory().constructType(Activation.class));
    return new Seen(activation, response.headers().firstValue("ETag").orElse(null));
  }

  private Activation action(int id, String action) {
    return send(post(API + "/activations/" + id + "/" + action, null), Activation.class);
  }

  private HttpRequest.Builder get(String path) {
    return request(path).GET();
  }

  private HttpRequest.Builder post(String path, JsonNode body) {
    if (body == null) {
      return request(path).POST(HttpRequest.BodyPublishers.noBody());
    }
    return request(path).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8));
  }

  private HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create(baseUrl + path))
        .timeout(requestTimeout)
        .header("x-api-key", apiKey)
        .header("Accept", "application/json");
  }

  private <T> T send(HttpRequest.Builder request, Class<T> type) {
    return send(request, JSON.getTypeFactory().constructType(type));
  }

  private <T> T send(HttpRequest.Builder request, TypeReference<T> type) {
    return send(request, JSON.getTypeFactory().constructType(type));
  }

  private <T> T send(HttpRequest.Builder request, JavaType type) {
    HttpRequest built = request.build();
    try {
      return parse(built, exchange(built), type);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UncheckedIOException(new InterruptedIOException(built.method() + " " + built.uri() + " interrupted"));
    }
  }

  private HttpResponse<String> exchange(HttpRequest built) throws InterruptedException {
    try {
      return http.send(built, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(built.method() + " " + built.uri() + " failed: " + e.getMessage(), e);
    }
  }

  /** The answer's body as {@code type}, or the server's refusal as an exception. */
  private static <T> T parse(HttpRequest built, HttpResponse<String> response, JavaType type) {
    if (response.statusCode() / 100 != 2) {
      throw refusal(response);
    }
    try {
      return JSON.readValue(response.body(), type);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException("unexpected answer from " + built.uri() + ": " + e.getOriginalMessage(), e);
    }
  }

  /** The server's problem document as an exception; anything else (a proxy's HTML page) still names the status. */
  private static VerigateException refusal(HttpResponse<String> response) {
    Map<String, Object> problem = Map.of();
    try {
      JsonNode node = JSON.readTree(response.body());
      if (node != null && node.isObject()) {
        problem = new LinkedHashMap<>(JSON.convertValue(node, new TypeReference<Map<String, Object>>() {}));
        problem.values().removeIf(Objects::isNull);
      }
    } catch (JsonProcessingException e) {
      // not JSON: reported below with the raw body as the detail
    }
    Object code = problem.get("code");
    Object detail = problem.get("detail");
    String body = response.body();
    Duration retryAfter = response.headers().firstValue("Retry-After")
        .filter(value -> value.matches("\\d{1,9}")).map(value -> Duration.ofSeconds(Long.parseLong(value))).orElse(null);
    return new VerigateException(response.statusCode(), code != null ? code.toString() : "UNEXPECTED_RESPONSE",
        detail != null ? detail.toString() : body.length() > 200 ? body.substring(0, 200) + "..." : body, problem,
        retryAfter);
  }

  private static void putIfPresent(ObjectNode body, String field, String value) {
    if (value != null) {
      body.put(field, value);
    }
  }

  private static String queryString(Map<String, Object> params) {
    StringJoiner query = new StringJoiner("&", "?", "").setEmptyValue("");
    params.forEach((name, value) -> {
      if (value != null) {
        query.add(name + "=" + URLEncoder.encode(value.toString(), StandardCharsets.UTF_8));
      }
    });
    return query.toString();
  }

  /** Settings for a client; only the base URL and API key are required. */
  public static final class Builder {
    private final String baseUrl;
    private final String apiKey;
    private HttpClient http;
    private Duration requestTimeout = Duration.ofSeconds(30);

    private Builder(String baseUrl, String apiKey) {
      this.baseUrl = Objects.requireNonNull(baseUrl, "baseUrl");
      this.apiKey = Objects.requireNonNull(apiKey, "apiKey");
    }

    /** Share one JDK client (its connection pool) between several Verigate clients. */
    public Builder httpClient(HttpClient value) {
      this.http = Objects.requireNonNull(value, "httpClient");
      return this;
    }

    public Builder requestTimeout(Duration value) {
      this.requestTimeout = Objects.requireNonNull(value, "requestTimeout");
      return this;
    }

    public VerigateClient build() {
      return new VerigateClient(this);
    }
  }

  /** ISO-8601 instants without pulling in jackson-datatype-jsr310 for one type. */
  private static final class InstantDeserializer extends StdScalarDeserializer<Instant> {
    InstantDeserializer() {
      super(Instant.class);
    }

    @Override
    public Instant deserialize(JsonParser parser, DeserializationContext ctx) throws IOException {
      try {
        return Instant.parse(parser.getValueAsString());
      } catch (DateTimeParseException e) {
        return (Instant) ctx.handleWeirdStringValue(Instant.class, parser.getValueAsString(), "not an ISO-8601 instant");
      }
    }
  }
}
