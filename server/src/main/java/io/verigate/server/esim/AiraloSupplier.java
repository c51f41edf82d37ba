package io.verigate.server.esim;

import com.fasterxml.jackson.core.JsonProcessingException;
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
 * Airalo's Partner API v2 as an eSIM supplier. Its OAuth token is fetched once (Airalo allows three token requests a
 * minute) and reused until shortly before it ends, or until a request is answered 401, which fetches a new one and
 * sends that request once more. Airalo's refusals become ours: out of stock as ESIM_OUT_OF_STOCK, a disabled top-up as
 * TOPUP_REFUSED, everything else (its maintenance, the operator's credit there, its rate limit, no answer) as
 * SUPPLIER_UNAVAILABLE; the customer reads which of its numbered errors it was, the operator's log also why.
 */
public final class AiraloSupplier implements RemoteEsimSupplier {
  private static final Logger log = LoggerFactory.getLogger(AiraloSupplier.class);
  private static final ObjectMapper JSON = new ObjectMapper();
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
    JsonNode sims = send("orders", body).path("data").path("sims");
    List<Profile> profiles = new ArrayList<>();
    for (JsonNode sim : sims) {
      String iccid = sim.path("iccid").asText();
      if (!iccid.matches("\\d{18,22}")) {
        throw unavailable("answered an order with ICCID '" + iccid + "'", "its answer was not understood");
      }
      String confirmation = sim.path("confirmation_code").asText(null);
      profiles.add(new Profile(iccid, ActivationCode.of(sim.path("lpa").asText(), sim.path("matching_id").asText()),
          confirmation == null || confirmation.isBlank() ? null : confirmation));
    }
    if (profiles.size() != quantity) {
      throw unavailable("delivered " + profiles.size() + " eSIMs for an order of " + quantity,
          "its answer was not understood");
    }
    return profiles;
  }

  /** Posts JSON with the current token; a 401 fetches a new token and posts once more. */
  private JsonNode send(String path, Map<String, Object> body) {
    Token used = token();
    HttpResponse<String> response = post(path, body, used);
    if (response.statusCode() == 401) {
      forget(used);
      response = post(path, body, token());
    }
    return answer(path, response);
  }

  private synchronized Token token() {
    if (token == null || !clock.instant().isBefore(token.renewAt())) {
      token = fetchToken();
    }
    return token;
  }

  private synchronized void forget(Token refused) {
    if (token == refused) {
      token = null;
    }
  }

  private Token fetchToken() {
    String form = Map.of("client_id", clientId, "client_secret", clientSecret, "grant_type", "client_credentials")
        .entrySet().stream()
        .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
        .collect(Collectors.joining("&"));
    HttpResponse<String> response = exchange(HttpRequest.newBuilder(base.resolve("token"))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(form)));
    if (response.statusCode() != 200) {
      throw unavailable("refused the token request with HTTP " + response.statusCode() + " (check its client id "
          + "and secret)", "it refused our credentials");
    }
    JsonNode data = parse("token", response.body()).path("data");
    String value = data.path("access_token").asText("");
    if (value.isEmpty()) {
      throw unavailable("answered the token request without a token", "its answer was not understood");
    }
    Instant ends = clock.instant().plusSeconds(data.path("expires_in").asLong(0));
    Instant renewAt = ends.minus(RENEW_EARLY);
    return new Token(value, renewAt.isAfter(clock.instant()) ? renewAt : ends);
  }

  private HttpResponse<String> post(String path, Map<String, Object> body, Token with) {
    try {
      return exchange(HttpRequest.newBuilder(base.resolve(path))
          .header("Authorization", "Bearer " + with.value())
          .header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a map of strings and numbers always serialises", e);
    }
  }

  private HttpResponse<String> exchange(HttpRequest.Builder request) {
    try {
      return http.send(request.header("Accept", "application/json").timeout(TIMEOUT).build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw unavailable("cannot be reached: " + e, "it cannot be reached");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw unavailable("was not waited for: interrupted", "it cannot be reached");
    }
  }

  /** A successful answer's JSON, or Airalo's refusal as ours. */
  private JsonNode answer(String path, HttpResponse<String> response) {
    int status = response.statusCode();
    if (status / 100 == 2) {
      return parse(path, response.body());
    }
    if (status == 429) {
      String retryAfter = response.headers().firstValue("Retry-After").orElse("?");
      throw unavailable("rate-limited " + path + " (Retry-After " + retryAfter + ")",
          "it is busy; retry after " + retryAfter + " s");
    }
    if (status == 422) {
      JsonNode refusal = parse(path, response.body());
      int code = refusal.path("code").asInt(0);
      String reason = refusal.path("reason").asText(refusal.path("meta").path("message").asText(""));
      log.warn("Airalo refused {}: code {} ({}) {}", path, code, reason, refusal.path("data"));
      String detail = code == 0 ? "the eSIM supplier refused the order as invalid"
          : "the eSIM supplier refused the order (its error " + code + ")";
      throw switch (code) {
        case 33, 34 -> new Failure(ErrorCode.ESIM_OUT_OF_STOCK, "the eSIM supplier is out of stock of this plan");
        case 23 -> new Failure(ErrorCode.TOPUP_REFUSED, "the eSIM supplier refuses top-ups of this eSIM");
        default -> new Failure(ErrorCode.SUPPLIER_UNAVAILABLE, detail + "; nothing was charged");
      };
    }
    throw unavailable("answered " + path + " with HTTP " + status, "it answered HTTP " + status);
  }

  private JsonNode parse(String path, String body) {
    try {
      return JSON.readTree(body == null ? "" : body);
    } catch (JsonProcessingException e) {
      throw unavailable("answered " + path + " with something not JSON", "its answer was not understood");
    }
  }

  private static Failure unavailable(String forOperator, String forCustomer) {
    log.warn("Airalo {}", forOperator);
    return new Failure(ErrorCode.SUPPLIER_UNAVAILABLE, "the eSIM supplier failed the order: " + forCustomer
        + "; nothing was charged");
  }
}
