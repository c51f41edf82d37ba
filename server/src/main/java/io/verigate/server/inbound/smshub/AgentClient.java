package io.verigate.server.inbound.smshub;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.verigate.server.inbound.smshub.Protocol.AgentException;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * The hub's requests to agents over the JDK HTTP client: a JSON body, gzip-compressed, with a User-Agent, as the
 * protocol asks of every request; the answer is read whether the agent compressed it or not.
 */
final class AgentClient {
  static final String USER_AGENT = "Verigate-SMSHub-Hub/1";
  /** A large bank's GET_SERVICES answer is some kilobytes; anything near this is not an answer. */
  private static final int MAX_ANSWER_BYTES = 4 * 1024 * 1024;

  private final HttpClient http = HttpClient.newBuilder()
      .connectTimeout(AgentSupply.ANSWER_BUDGET)
      .followRedirects(HttpClient.Redirect.NEVER)
      .build();

  /** Sends one request; the answer, a JSON object, completes the future, or it fails with the reason. */
  CompletableFuture<JsonNode> send(Agent agent, Object request, Duration timeout) {
    HttpRequest post = HttpRequest.newBuilder(agent.url())
        .timeout(timeout)
        .header("Content-Type", "application/json; charset=utf-8")
        .header("Content-Encoding", "gzip")
        .header("Accept-Encoding", "gzip")
        .header("User-Agent", USER_AGENT)
        .POST(HttpRequest.BodyPublishers.ofByteArray(Gzip.compress(json(request))))
        .build();
    return http.sendAsync(post, HttpResponse.BodyHandlers.ofByteArray()).thenApply(AgentClient::answer);
  }

  /** Why a request failed, without the wrappers of the future it failed in. */
  static String reason(Throwable failure) {
    Throwable cause = failure;
    while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
  }

  private static JsonNode answer(HttpResponse<byte[]> response) {
    if (response.statusCode() / 100 != 2) {
      throw new AgentException("answered HTTP " + response.statusCode());
    }
    try {
      byte[] body = response.body();
      if (Gzip.isCompressed(body, response.headers().firstValue("Content-Encoding").orElse(null))) {
        body = Gzip.decompress(body, MAX_ANSWER_BYTES);
      }
      JsonNode answer = Protocol.JSON.readTree(body);
      if (answer == null || !answer.isObject()) {
        throw new AgentException("answered something other than a JSON object");
      }
      return answer;
    } catch (IOException e) {
      throw new AgentException("answered unreadable JSON: " + e.getMessage());
    }
  }

  private static byte[] json(Object request) {
    try {
      return Protocol.JSON.writeValueAsBytes(request);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("protocol records always serialise", e);
    }
  }
}
