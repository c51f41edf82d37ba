package io.verigate.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Optional;

/** The customer's side of the node's REST API, as the benchmark reads it: the live key as Bearer. */
final class Api {
  static final ObjectMapper JSON = new ObjectMapper();

  private final String customerKey;

  Api(String customerKey) {
    this.customerKey = customerKey;
  }

  /** The code {@code GET /api/v1/activations/{id}} shows right now, if any. */
  Optional<String> code(KeepAliveConnection connection, int activationId) throws IOException {
    KeepAliveConnection.Response reply = connection.exchange(
        KeepAliveConnection.get("/api/v1/activations/" + activationId, customerKey));
    if (reply.status() != 200) {
      throw new IOException("GET activation " + activationId + " answered " + reply.status() + ": " + reply.text());
    }
    JsonNode code = JSON.readTree(reply.body()).get("code");
    return code == null || code.isNull() ? Optional.empty() : Optional.of(code.asText());
  }
}
