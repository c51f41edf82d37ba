package io.verigate.client.provider;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.verigate.client.provider.ProviderException.Reason;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * 5sim's REST API ({@code /v1/user/...}, key as a bearer token), or any provider or Verigate node that speaks it.
 * Refusals are plain-text bodies with 4xx ({@code no free phones}, {@code not enough user balance}). 5sim has no
 * long poll, so codes are awaited with the {@link Poller}; it has no resend either ({@code UNSUPPORTED}).
 */
public final class FiveSimProvider implements VerificationProvider {
  /** 5sim's own site, for {@link Endpoint#of}. */
  public static final String FIVESIM = "https://5sim.net";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String name;
  private final Endpoint endpoint;
  private final HttpCalls calls;
  private final Poller poller;

  public FiveSimProvider(String name, Endpoint endpoint) {
    this.name = name;
    this.endpoint = endpoint;
    this.calls = endpoint.calls(name);
    this.poller = endpoint.poller();
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public BoughtNumber buy(Order order) {
    String operator = order.operator() == null ? "any" : order.operator();
    String product = ProviderNames.fiveSimProduct(order.service());
    for (String country : order.countries()) {
      String path = "/v1/user/buy/activation/" + encode(ProviderNames.fiveSimCountry(country)) + "/" + encode(operator)
          + "/" + encode(product) + (order.maxPrice() == null ? "" : "?maxPrice=" + order.maxPrice().toPlainString());
      HttpResponse<String> response = calls.get(uri(path), endpoint.apiKey(), order.via());
      if (response.statusCode() == 200) {
        JsonNode bought = json(response.body());
        String phone = bought.path("phone").asText();
        return new BoughtNumber(name, bought.path("id").asText(), phone.startsWith("+") ? phone : "+" + phone,
            country.toLowerCase(Locale.ROOT), new BigDecimal(bought.path("price").asText()));
      }
      // 5sim words a number over maxPrice as "no free phones" too: the next country may still have one.
      if (!"no free phones".equals(response.body().trim())) {
        throw refusal(response);
      }
    }
    throw new ProviderException(Reason.NO_NUMBERS, name + ": no free phones in " + order.countries());
  }

  @Override
  public String awaitCode(BoughtNumber number, Duration timeout) throws InterruptedException {
    return poller.await(timeout, () -> {
      HttpResponse<String> response = calls.get(uri("/v1/user/check/" + encode(number.id())), endpoint.apiKey());
      if (response.statusCode() != 200) {
        throw refusal(response);
      }
      JsonNode order = json(response.body());
      String status = order.path("status").asText();
      if (status.equals("PENDING") || status.equals("RECEIVED") || status.equals("FINISHED")) {
        Optional<String> code = latestCode(order.path("sms"));
        if (code.isPresent() || !status.equals("FINISHED")) {
          return code;
        }
      }
      throw new ProviderException(Reason.ENDED, name + ": order " + number.id() + " is " + status + " without a code");
    });
  }

  @Override
  public void finish(BoughtNumber number) {
    action("finish", number);
  }

  @Override
  public void cancel(BoughtNumber number) {
    action("cancel", number);
  }

  @Override
  public void resend(BoughtNumber number) {
    throw new ProviderException(Reason.UNSUPPORTED, name + ": 5sim cannot ask for another code");
  }

  @Override
  public BigDecimal balance() {
    HttpResponse<String> response = calls.get(uri("/v1/user/profile"), endpoint.apiKey());
    if (response.statusCode() != 200) {
      throw refusal(response);
    }
    return new BigDecimal(json(response.body()).path("balance").asText());
  }

  /**
   * The cheapest operator's cost that {@code /v1/guest/prices} lists for the product in the country,
   * {@code {"<country>":{"<product>":{"<operator>":{"cost":4,"count":1260}}}}}, among operators with numbers free.
   */
  @Override
  public Optional<BigDecimal> price(String service, String country) {
    String slug = ProviderNames.fiveSimCountry(country);
    String product = ProviderNames.fiveSimProduct(service);
    HttpResponse<String> response = calls.get(uri("/v1/guest/prices?country=" + encode(slug) + "&product="
        + encode(product)), null);
    if (response.statusCode() != 200) {
      throw refusal(response);
    }
    BigDecimal cheapest = null;
    for (JsonNode offer : json(response.body()).path(slug).path(product)) {
      if (offer.path("count").asInt(0) > 0 && offer.path("cost").isNumber()) {
        BigDecimal cost = offer.path("cost").decimalValue();
        cheapest = cheapest == null || cost.compareTo(cheapest) < 0 ? cost : cheapest;
      }
    }
    return Optional.ofNullable(cheapest);
  }

  private void action(String action, BoughtNumber number) {
    HttpResponse<String> response = calls.get(uri("/v1/user/" + action + "/" + encode(number.id())), endpoint.apiKey());
    if (response.statusCode() != 200) {
      throw refusal(response);
    }
  }

  /** The code of the newest SMS that carries one. */
  private static Optional<String> latestCode(JsonNode messages) {
    String code = null;
    for (JsonNode sms : messages) {
      String found = sms.path("code").asText("");
      if (!found.isEmpty()) {
        code = found;
      }
    }
    return Optional.ofNullable(code);
  }

  private ProviderException refusal(HttpResponse<String> response) {
    String text = response.body().trim();
    return switch (text) {
      case "no free phones" -> new ProviderException(Reason.NO_NUMBERS, name + ": " + text);
      case "not enough user balance" -> new ProviderException(Reason.NO_BALANCE, name + ": " + text);
      case "you need to wait time" -> new ProviderException(Reason.TOO_EARLY, name + ": " + text);
      default -> text.startsWith("<")
          ? ProviderException.down(name + " answered HTTP " + response.statusCode() + " with a page", null)
          : new ProviderException(Reason.REFUSED, name + ": HTTP " + response.statusCode() + " " + text);
    };
  }

  private URI uri(String path) {
    return URI.create(endpoint.baseUrl() + path);
  }

  private JsonNode json(String body) {
    try {
      return JSON.readTree(body);
    } catch (JsonProcessingException e) {
      throw ProviderException.down(name + ": unreadable answer " + e.getOriginalMessage(), e);
    }
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
