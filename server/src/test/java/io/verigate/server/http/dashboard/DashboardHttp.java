package io.verigate.server.http.dashboard;

import io.verigate.server.testing.TestApp;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.stream.Collectors;

/** The dashboard as a plain HTTP client sees it: pages with a session cookie, and forms posted as a browser would. */
final class DashboardHttp {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private DashboardHttp() {}

  static HttpResponse<String> get(TestApp app, String path, String cookie) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(app.baseUrl() + path));
    if (cookie != null) {
      request.header("Cookie", cookie);
    }
    return send(request.build());
  }

  /** Posts a form; {@code headers} are extra header names and values. */
  static HttpResponse<String> post(TestApp app, String path, String cookie, Map<String, String> form,
      String... headers) {
    String body = form.entrySet().stream()
        .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
            + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
        .collect(Collectors.joining("&"));
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(app.baseUrl() + path))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(body));
    if (cookie != null) {
      request.header("Cookie", cookie);
    }
    if (headers.length > 0) {
      request.headers(headers);
    }
    return send(request.build());
  }

  /** The session cookie ({@code name=value}) a log-in or sign-up answer set. */
  static String sessionCookie(HttpResponse<String> answer) {
    String setCookie = answer.headers().firstValue("Set-Cookie").orElseThrow(
        () -> new AssertionError("no session was opened: " + answer.statusCode() + " " + answer.body()));
    return setCookie.substring(0, setCookie.indexOf(';'));
  }

  /** Buys a live number over the REST API with a customer's key; answers the activation's JSON. */
  static HttpResponse<String> buy(TestApp app, String key, String service, String country) {
    return send(HttpRequest.newBuilder(URI.create(app.baseUrl() + "/api/v1/activations"))
        .header("x-api-key", key).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"service\":\"" + service + "\",\"country\":\"" + country + "\"}"))
        .build());
  }

  private static HttpResponse<String> send(HttpRequest request) {
    try {
      return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
