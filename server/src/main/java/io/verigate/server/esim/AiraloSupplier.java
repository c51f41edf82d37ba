package io.verigate.server.esim;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.verigate.server.system.ErrorCode;
import io.verigate.server.system.Failure;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Airalo's Partner API v2 as an eSIM supplier: orders, top-ups, usage and the package catalog. Its OAuth token is
 * fetched once (Airalo allows three token requests a minute) and reused until shortly before it ends, or until a
 * request is answered 401, which fetches a new one and sends that request once more. Airalo's refusals become ours:
 * out of stock as ESIM_OUT_OF_STOCK, a top-up it will not make (disabled, recycled eSIM, wrong package) as
 * TOPUP_REFUSED, everything else (its maintenance, the operator's credit there, its rate limit, no answer) as
 * SUPPLIER_UNAVAILABLE; the customer reads which of its numbered errors it was, the operator's log also why.
 */
public final class AiraloSupplier implements RemoteEsimSupplier {
  private static final Logger log = LoggerFactory.getLogger(AiraloSupplier.class);
  /** Decimals read exactly (prices), never through a double. */
  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
  /** Packages per catalog page, and the most pages read: Airalo's whole catalog is about 3,200 packages. */
  private static final int PAGE_SIZE = 100;
  private static final int MAX_PAGES = 200;
  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  /** A token is renewed this long before Airalo says it ends, so no request carries one that ends on the way. */
  private static final Duration RENEW_EARLY = Duration.ofMinutes(5);

  private final URI base;
  private final String clientId;
  private final String clientSecret;
  private final Clock clock;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
      .followRedirects(HttpClient.Redirect.NEVER).build();
  private Token token;

  private record Token(String value, Instant renewAt) {}

  /** {@code baseUrl}: the API's root, such as {@code https://partners-api.airalo.com/v2/}. */
  public AiraloSupplier(String baseUrl, String clientId, String clientSecret, Clock clock) {
    this.base = URI.create(baseUrl.endsWith("/") ? baseUrl : baseUrl + "/");
    this.clientId = clientId;
    this.clientSecret = clientSecret;
    this.clock = clock;
  }

  @Override
  public String name() {
    return "airalo";
  }

  @Override
  public List<Profile> order(EsimPlan plan, int quantity) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("package_id", plan.supplierPackageId());
    body.put("quantity", quantity);
    body.put("type", "sim");
    body.put("description", "Verigate plan " + plan.id());
    JsonNode sims = call(Call.ORDER, "orders", json(body)).path("data").path("sims");
    List<Profile> profiles = new ArrayList<>();
    for (JsonNode sim : sims) {
      String iccid = sim.path("iccid").asText();
      if (!iccid.matches("\\d{18,22}")) {
        throw unavailable(Call.ORDER, "answered an order with ICCID '" + iccid + "'", "its answer was not understood");
      }
      String confirmation = sim.path("confirmation_code").asText(null);
      profiles.add(new Profile(iccid, ActivationCode.of(sim.path("lpa").asText(), sim.path("matching_id").asText()),
          confirmation == null || confirmation.isBlank() ? null : confirmation));
    }
    if (profiles.size() != quantity) {
      throw unavailable(Call.ORDER, "delivered " + profiles.size() + " eSIMs for an order of " + quantity,
          "its answer was not understood");
    }
    return profiles;
  }

  @Override
  public void topUp(String iccid, String packageId) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("package_id", packageId);
    body.put("iccid", iccid);
    body.put("description", "Verigate top-up");
    call(Call.TOPUP, "orders/topups", json(body));
  }

  @Override
  public SupplierUsage usage(String iccid) {
    JsonNode data = call(Call.USAGE, "sims/" + URLEncoder.encode(iccid, StandardCharsets.UTF_8) + "/usage", null)
        .path("data");
    EsimStatus status = switch (data.path("status").asText("")) {
      case "NOT_ACTIVE" -> EsimStatus.NOT_ACTIVE;
      case "ACTIVE" -> EsimStatus.ACTIVE;
      case "FINISHED" -> EsimStatus.FINISHED;
      case "EXPIRED" -> EsimStatus.EXPIRED;
      default -> null; // UNKNOWN, or a state added later: what we knew stands
    };
    if (data.path("is_unlimited").asBoolean(false)) {
      return new SupplierUsage(status, null, null);
    }
    return new SupplierUsage(status, data.path("total").asLong(0), Math.max(0, data.path("remaining").asLong(0)));
  }

  /**
   * Every page of Airalo's packages (the raw API nests them as countries or regions, their operators, and the
   * operators' packages) as plans; a package the pricing leaves out is not among them.
   */
  @Override
  public List<EsimPlan> catalog(CatalogPricing pricing) {
    List<EsimPlan> plans = new ArrayList<>();
    for (int page = 1; page <= MAX_PAGES; page++) {
      JsonNode answer = call(Call.CATALOG, "packages?limit=" + PAGE_SIZE + "&page=" + page, null);
      for (JsonNode area : answer.path("data")) {
        for (JsonNode operator : area.path("operators")) {
          for (JsonNode pack : operator.path("packages")) {
            AiraloPackages.plan(area, operator, pack, pricing).ifPresent(plans::add);
          }
        }
      }
      if (answer.path("data").isEmpty() || answer.path("links").path("next").isNull()
          || answer.path("links").path("next").isMissingNode()) {
        return plans;
      }
    }
    log.warn("Airalo's catalog has more than {} pages; the rest is not synced", MAX_PAGES);
    return plans;
  }

  /** What a call to Airalo was for: the words a refusal is told in, and which of Airalo's numbered errors mean what. */
  private enum Call {
    ORDER("order"), TOPUP("top-up"), USAGE("usage query"), CATALOG("catalog query");

    final String words;

    Call(String words) {
      this.words = words;
    }

    Failure refusal(int code) {
      if (this == ORDER && (code == 33 || code == 34)) {
        return new Failure(ErrorCode.ESIM_OUT_OF_STOCK, "the eSIM supplier is out of stock of this plan");
      }
      // 23 top-ups disabled, 34 package invalid, 14 bad ICCID checksum, 73 eSIM recycled: no retry would help.
      if (this == TOPUP && (code == 23 || code == 34 || code == 14 || code == 73)) {
        return new Failure(ErrorCode.TOPUP_REFUSED, "the eSIM supplier refuses this top-up of this eSIM (its error "
            + code + ")");
      }
      return new Failure(ErrorCode.SUPPLIER_UNAVAILABLE, code == 0
          ? "the eSIM supplier refused the " + words + " as invalid"
          : "the eSIM supplier refused the " + words + " (its error " + code + ")");
    }
  }

  /**
   * Sends a request with the current token ({@code body} null: a GET); a 401 fetches a new token and sends once more.
   * The answer's JSON, or Airalo's refusal as ours.
   */
  private JsonNode call(Call call, String path, String body) {
    Token used = token(call);
    HttpResponse<String> response = send(call, path, body, used);
    if (response.statusCode() == 401) {
      forget(used);
      response = send(call, path, body, token(call));
    }
    return answer(call, path, response);
  }

  private static String json(Map<String, Object> body) {
    try {
      return JSON.writeValueAsString(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a map of strings and numbers always serialises", e);
    }
  }

  private synchronized Token token(Call call) {
    if (token == null || !clock.instant().isBefore(token.renewAt())) {
      token = fetchToken(call);
    }
    return token;
  }

  private synchronized void forget(Token refused) {
    if (token == refused) {
      token = null;
    }
  }

  private Token fetchToken(Call call) {
    String form = Map.of("client_id", clientId, "client_secret", clientSecret, "grant_type", "client_credentials")
        .entrySet().stream()
        .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
        .collect(Collectors.joining("&"));
    HttpResponse<String> response = exchange(call, HttpRequest.newBuilder(base.resolve("token"))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(form)));
    if (response.statusCode() != 200) {
      throw unavailable(call, "refused the token request with HTTP " + response.statusCode() + " (check its client id "
          + "and secret)", "it refused our credentials");
    }
    JsonNode data = parse(call, "token", response.body()).path("data");
    String value = data.path("access_token").asText("");
    if (value.isEmpty()) {
      throw unavailable(call, "answered the token request without a token", "its answer was not understood");
    }
    Instant ends = clock.instant().plusSeconds(data.path("expires_in").asLong(0));
    Instant renewAt = ends.minus(RENEW_EARLY);
    return new Token(value, renewAt.isAfter(clock.instant()) ? renewAt : ends);
  }

  private HttpResponse<String> send(Call call, String path, String body, Token with) {
    HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path))
        .header("Authorization", "Bearer " + with.value());
    if (body != null) {
      request.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
    }
    return exchange(call, request);
  }

  private HttpResponse<String> exchange(Call call, HttpRequest.Builder request) {
    try {
      return http.send(request.header("Accept", "application/json").timeout(TIMEOUT).build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw unavailable(call, "cannot be reached: " + e, "it cannot be reached");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw unavailable(call, "was not waited for: interrupted", "it cannot be reached");
    }
  }

  /** A successful answer's JSON, or Airalo's refusal as ours. */
  private JsonNode answer(Call call, String path, HttpResponse<String> response) {
    int status = response.statusCode();
    if (status / 100 == 2) {
      return parse(call, path, response.body());
    }
    if (status == 429) {
      String retryAfter = response.headers().firstValue("Retry-After").orElse("?");
      throw unavailable(call, "rate-limited " + path + " (Retry-After " + retryAfter + ")",
          "it is busy; retry after " + retryAfter + " s");
    }
    if (status == 422) {
      JsonNode refusal = parse(call, path, response.body());
      int code = refusal.path("code").asInt(0);
      String reason = refusal.path("reason").asText(refusal.path("meta").path("message").asText(""));
      log.warn("Airalo refused {}: code {} ({}) {}", path, code, reason, refusal.path("data"));
      throw call.refusal(code);
    }
    throw unavailable(call, "answered " + path + " with HTTP " + status, "it answered HTTP " + status);
  }

  private JsonNode parse(Call call, String path, String body) {
    try {
      return JSON.readTree(body == null ? "" : body);
    } catch (JsonProcessingException e) {
      throw unavailable(call, "answered " + path + " with something not JSON", "its answer was not understood");
    }
  }

  private static Failure unavailable(Call call, String forOperator, String forCustomer) {
    log.warn("Airalo {}", forOperator);
    return new Failure(ErrorCode.SUPPLIER_UNAVAILABLE, "the eSIM supplier failed the " + call.words + ": "
        + forCustomer);
  }
}
