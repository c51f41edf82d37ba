package io.verigate.client.provider;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;

/**
 * The HTTP side shared by the query-string providers: a GET whose transport failures and 5xx answers are
 * {@code PROVIDER_DOWN} and whose 429s are {@code RATE_LIMITED} with the wait the provider's headers ask for.
 * Any other answer is returned for the dialect to read.
 */
final class HttpCalls {
  private final String provider;
  private final HttpClient http;
  private final Duration timeout;
  private final Clock clock;

  HttpCalls(String provider, HttpClient http, Duration timeout, Clock clock) {
    this.provider = provider;
    this.http = http != null ? http : HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    this.timeout = timeout;
    this.clock = clock;
  }

  /** GET {@code uri}; {@code bearer} (nullable) is sent as {@code Authorization: Bearer}. */
  HttpResponse<String> get(URI uri, String bearer) {
    return get(uri, bearer, List.of());
  }

  /** A purchase's GET, which also names the resellers it passed through ({@link Order#via}) when there are any. */
  HttpResponse<String> get(URI uri, String bearer, List<String> via) {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(timeout).GET();
    if (bearer != null) {
      request.header("Authorization", "Bearer " + bearer);
    }
    if (!via.isEmpty()) {
      request.header(Order.VIA_HEADER, String.join(",", via));
    }
    HttpResponse<String> response;
    try {
      response = http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw ProviderException.down(provider + ": interrupted", new InterruptedIOException());
    } catch (IOException e) {
      // The key may sit in the query string: name the host, never the whole address.
      throw ProviderException.down(provider + " at " + uri.getHost() + ":" + uri.getPort() + " unreachable: " + e, e);
    }
    if (response.statusCode() == 429) {
      throw ProviderException.rateLimited(provider + " answered 429", retryAfter(response.headers(), clock).orElse(null));
    }
    if (response.statusCode() >= 500) {
      throw ProviderException.down(provider + " answered HTTP " + response.statusCode(), null);
    }
    return response;
  }

  /**
   * The wait a response asks for: {@code Retry-After} in seconds or as an HTTP date, else a spent quota's reset
   * ({@code RateLimit-Remaining}/{@code X-RateLimit-Remaining} of 0 with the matching {@code -Reset} in seconds).
   */
  static Optional<Duration> retryAfter(HttpHeaders headers, Clock clock) {
    Optional<String> retryAfter = headers.firstValue("Retry-After").map(String::trim);
    if (retryAfter.isPresent()) {
      String value = retryAfter.get();
      if (value.matches("\\d{1,9}")) {
        return Optional.of(Duration.ofSeconds(Long.parseLong(value)));
      }
      try {
        Instant at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        Duration wait = Duration.between(clock.instant(), at);
        return Optional.of(wait.isNegative() ? Duration.ZERO : wait);
      } catch (DateTimeParseException e) {
        // unreadable: fall through to the quota headers
      }
    }
    for (String prefix : new String[] {"RateLimit-", "X-RateLimit-"}) {
      Optional<String> remaining = headers.firstValue(prefix + "Remaining").map(String::trim);
      Optional<String> reset = headers.firstValue(prefix + "Reset").map(String::trim);
      if (remaining.filter("0"::equals).isPresent() && reset.filter(v -> v.matches("\\d{1,9}")).isPresent()) {
        return Optional.of(Duration.ofSeconds(Long.parseLong(reset.get())));
      }
    }
    return Optional.empty();
  }
}
