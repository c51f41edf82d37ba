package io.verigate.client.provider;

import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * Where an HTTP provider is and how to talk to it: base URL and API key, plus an optional shared JDK client, the
 * per-request timeout (default 30 s), and the clock and sleeper its poller uses (real time unless a test injects).
 */
public record Endpoint(String baseUrl, String apiKey, HttpClient http, Duration requestTimeout, Clock clock,
    Sleeper sleeper) {
  public Endpoint {
    Objects.requireNonNull(baseUrl, "baseUrl");
    Objects.requireNonNull(apiKey, "apiKey");
    baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    Objects.requireNonNull(requestTimeout, "requestTimeout");
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(sleeper, "sleeper");
  }

  public static Endpoint of(String baseUrl, String apiKey) {
    return new Endpoint(baseUrl, apiKey, null, Duration.ofSeconds(30), Clock.systemUTC(), Sleeper.SYSTEM);
  }

  public Endpoint withHttpClient(HttpClient value) {
    return new Endpoint(baseUrl, apiKey, value, requestTimeout, clock, sleeper);
  }

  public Endpoint withRequestTimeout(Duration value) {
    return new Endpoint(baseUrl, apiKey, http, value, clock, sleeper);
  }

  public Endpoint withTime(Clock value, Sleeper sleeperValue) {
    return new Endpoint(baseUrl, apiKey, http, requestTimeout, value, sleeperValue);
  }

  HttpCalls calls(String provider) {
    return new HttpCalls(provider, http, requestTimeout, clock);
  }

  Poller poller() {
    return new Poller(clock, sleeper);
  }

  /** The key must not reach logs: records print it masked. */
  @Override
  public String toString() {
    return "Endpoint[" + baseUrl + ", key ****]";
  }
}
