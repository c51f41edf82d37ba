package io.verigate.client.provider;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.verigate.client.provider.ProviderException.Reason;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;

/**
 * Any provider that speaks sms-activate's {@code handler_api.php}: sms-activate itself, its many clones, or a
 * Verigate node. The base URL is the provider's site ({@code /stubs/handler_api.php} is added) or the full address
 * of the handler. Refusals come as plain-text tokens with HTTP 200 and are translated into {@link Reason}s; there is
 * no long poll, so codes are awaited with the {@link Poller}.
 */
public final class SmsActivateProvider implements VerificationProvider {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String name;
  private final Endpoint endpoint;
  private final String handler;
  private final HttpCalls calls;
  private final Poller poller;

  public SmsActivateProvider(String name, Endpoint endpoint) {
    this.name = name;
    this.endpoint = endpoint;
    this.handler = endpoint.baseUrl().endsWith(".php") ? endpoint.baseUrl() : endpoint.baseUrl() + "/stubs/handler_api.php";
    this.calls = endpoint.calls(name);
    this.poller = endpoint.poller();
  }

  @Override
  public String name() {
    return name;
  }

  /** Tries the countries in order: one that has none, or none cheap enough, passes the order to the next. */
  @Override
  public BoughtNumber buy(Order order) {
    Reason missed = Reason.NO_NUMBERS;
    for (String country : order.countries()) {
      Map<String, String> query = new LinkedHashMap<>();
      query.put("service", order.service());
      query.put("country", ProviderNames.smsActivateCountry(country));
      query.put("maxPrice", order.maxPrice() == null ? null : order.maxPrice().toPlainString());
      query.put("operator", order.operator());
      String answer = call("getNumberV2", query, order.via());
      if (answer.startsWith("{")) {
        JsonNode bought = json(answer);
        return new BoughtNumber(name, bought.path("activationId").asText(), "+" + bought.path("phoneNumber").asText(),
            country.toLowerCase(Locale.ROOT), new BigDecimal(bought.path("activationCost").asText()));
      }
      if (answer.startsWith("WRONG_MAX_PRICE")) {
        missed = Reason.PRICE_ABOVE_MAX;
      } else if (!answer.equals("NO_NUMBERS")) {
        throw refusal(answer);
      }
    }
    throw new ProviderException(missed, name + ": " + missed + " in " + order.countries());
  }

  @Override
  public String awaitCode(BoughtNumber number, Duration timeout) throws InterruptedException {
    return poller.await(timeout, () -> {
      String status = call("getStatus", Map.of("id", number.id()));
      if (status.startsWith("STATUS_OK:")) {
        return Optional.of(status.substring("STATUS_OK:".length()));
      }
      if (status.equals("STATUS_WAIT_CODE") || status.startsWith("STATUS_WAIT_RETRY") || status.equals("STATUS_WAIT_RESEND")) {
        return Optional.empty();
      }
      if (status.equals("STATUS_CANCEL")) {
        throw new ProviderException(Reason.ENDED, name + ": activation " + number.id() + " ended without a code");
      }
      throw refusal(status);
    });
  }

  @Override
  public void finish(BoughtNumber number) {
    setStatus(number, "6", "ACCESS_ACTIVATION");
  }

  @Override
  public void cancel(BoughtNumber number) {
    setStatus(number, "8", "ACCESS_CANCEL");
  }

  @Override
  public void resend(BoughtNumber number) {
    setStatus(number, "3", "ACCESS_RETRY_GET");
  }

  @Override
  public BigDecimal balance() {
    String answer = call("getBalance", Map.of());
    if (!answer.startsWith("ACCESS_BALANCE:")) {
      throw refusal(answer);
    }
    return new BigDecimal(answer.substring("ACCESS_BALANCE:".length()).trim());
  }

  private void setStatus(BoughtNumber number, String status, String expected) {
    String answer = call("setStatus", Map.of("id", number.id(), "status", status));
    if (!answer.equals(expected)) {
      throw refusal(answer);
    }
  }

  /**
   * The price {@code getPrices} lists for the service in the country: {@code {"<country>":{"<service>":{"cost":..}}}};
   * empty when it lists none there.
   */
  @Override
  public Optional<BigDecimal> price(String service, String country) {
    String answer = call("getPrices", Map.of("service", service, "country", ProviderNames.smsActivateCountry(country)));
    if (!answer.startsWith("{")) {
      throw refusal(answer);
    }
    JsonNode cost = json(answer).path(ProviderNames.smsActivateCountry(country)).path(service).path("cost");
    return cost.isMissingNode() || cost.isNull() ? Optional.empty() : Optional.of(new BigDecimal(cost.asText()));
  }

  private String call(String action, Map<String, String> params) {
    return call(action, params, List.of());
  }

  /** One action, on behalf of the resellers {@code via}; the answer's body, trimmed. */
  private String call(String action, Map<String, String> params, List<String> via) {
    StringJoiner query = new StringJoiner("&", "?", "");
    query.add("api_key=" + encode(endpoint.apiKey())).add("action=" + action);
    params.forEach((key, value) -> {
      if (value != null) {
        query.add(key + "=" + encode(value));
      }
    });
    var response = calls.get(URI.create(handler + query), null, via);
    if (response.statusCode() != 200) {
      throw ProviderException.down(name + " answered HTTP " + response.statusCode() + " to " + action, null);
    }
    String answer = response.body().trim();
    if (answer.startsWith("BANNED")) {
      // "Blocked until": too many requests, answered with 200; the wait is in the headers when the provider sends it.
      throw ProviderException.rateLimited(name + ": " + answer,
          HttpCalls.retryAfter(response.headers(), endpoint.clock()).orElse(null));
    }
    return answer;
  }

  /** A token that is not the expected answer, as a reason. */
  private ProviderException refusal(String token) {
    String word = token.contains(":") ? token.substring(0, token.indexOf(':')) : token;
    return switch (word) {
      case "NO_NUMBERS" -> new ProviderException(Reason.NO_NUMBERS, name + ": " + token);
      case "NO_BALANCE" -> new ProviderException(Reason.NO_BALANCE, name + ": " + token);
      case "WRONG_MAX_PRICE" -> new ProviderException(Reason.PRICE_ABOVE_MAX, name + ": " + token);
      case "EARLY_CANCEL_DENIED" -> new ProviderException(Reason.TOO_EARLY, name + ": " + token);
      case "TOO_MANY_REQUESTS" -> ProviderException.rateLimited(name + ": " + token, null);
      case "ERROR_SQL" -> ProviderException.down(name + ": " + token, null);
      default -> token.startsWith("<") || token.isEmpty()
          ? ProviderException.down(name + ": not an sms-activate answer", null)
          : new ProviderException(Reason.REFUSED, name + ": " + token);
    };
  }

  private JsonNode json(String body) {
    try {
      return JSON.readTree(body);
    } catch (JsonProcessingException e) {
      throw ProviderException.down(name + ": unreadable answer " + e.getOriginalMessage(), e);
    }
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
