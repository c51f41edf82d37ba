package io.verigate.server.http.support;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.javalin.http.Context;
import io.verigate.server.system.ErrorCode;
import io.verigate.server.system.Failure;
import io.verigate.server.system.Timestamps;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One Jackson setup for every dialect: ISO-8601 UTC timestamps to the millisecond ({@link Timestamps}), nulls kept,
 * unknown fields ignored.
 */
public final class Json {
  public static final ObjectMapper MAPPER = new ObjectMapper()
      .registerModule(new JavaTimeModule())
      // after the JavaTimeModule, so that this serializer of Instant is the one used
      .registerModule(new SimpleModule("verigate-timestamps").addSerializer(Instant.class, new StdSerializer<>(Instant.class) {
        @Override
        public void serialize(Instant value, JsonGenerator out, SerializerProvider provider) throws IOException {
          out.writeString(Timestamps.format(value));
        }
      }))
      .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  /**
   * Reads request bodies as trees. Made once: the mapper's own {@code readTree} resolves the tree's type and finds its
   * deserializer again for every body, which a profile of purchases showed among the request's busiest work.
   */
  private static final ObjectReader TREE = MAPPER.readerFor(JsonNode.class);

  private static final ObjectMapper CANONICAL = MAPPER.copy()
      .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

  private Json() {}

  /** The request body as a JSON object; anything else is a MALFORMED_JSON refusal, never a 500. */
  public static JsonNode body(Context ctx) {
    String body = ctx.body();
    if (body == null || body.isBlank()) {
      throw new Failure(ErrorCode.MALFORMED_JSON, "request body must be a JSON object");
    }
    try {
      JsonNode node = TREE.readTree(body);
      if (node == null || !node.isObject()) {
        throw new Failure(ErrorCode.MALFORMED_JSON, "request body must be a JSON object");
      }
      return node;
    } catch (JsonProcessingException e) {
      throw new Failure(ErrorCode.MALFORMED_JSON, "request body is not valid JSON: " + e.getOriginalMessage());
    }
  }

  /**
   * The request body canonicalised (keys sorted, whitespace dropped) and hashed, so an Idempotency-Key's repeat is
   * recognised by its content alone.
   */
  public static String fingerprint(JsonNode body) {
    try {
      return io.verigate.server.account.ApiKeyFormat.sha256(CANONICAL.writeValueAsString(
          CANONICAL.convertValue(body, java.util.Map.class)));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a parsed JSON body always serialises", e);
    }
  }

  /** A webhook's raw body as a JSON object; anything else is a MALFORMED_JSON refusal, never a 500. */
  public static JsonNode webhookBody(byte[] body) {
    JsonNode root;
    try {
      root = TREE.readTree(body);
    } catch (IOException e) {
      throw new Failure(ErrorCode.MALFORMED_JSON, "the webhook body is not valid JSON");
    }
    if (root == null || !root.isObject()) {
      throw new Failure(ErrorCode.MALFORMED_JSON, "the webhook body must be a JSON object");
    }
    return root;
  }

  /** A text field, or null when absent or JSON null; numbers are accepted as their text. */
  public static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isValueNode()) {
      throw new Failure(ErrorCode.BAD_REQUEST, field + " must be a string");
    }
    return value.asText();
  }

  /**
   * A text field that must be given, though JSON null is a value (turning a setting off): refused when absent, with
   * {@code hint} saying what it takes.
   */
  public static String presentText(JsonNode node, String field, String hint) {
    if (!node.has(field)) {
      throw new Failure(ErrorCode.BAD_REQUEST, field + " is required: " + hint);
    }
    return text(node, field);
  }

  /** An array of strings, or null when the field is absent or JSON null; anything else is a BAD_REQUEST refusal. */
  public static List<String> stringArray(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isArray()) {
      throw new Failure(ErrorCode.BAD_REQUEST, field + " must be an array of strings");
    }
    List<String> out = new ArrayList<>();
    for (JsonNode item : value) {
      if (!item.isTextual()) {
        throw new Failure(ErrorCode.BAD_REQUEST, field + " must be an array of strings");
      }
      out.add(item.asText());
    }
    return out;
  }

  /**
   * An answer that shows a secret this once (a new API key, a webhook's signing secret): the secret under
   * {@code field} first, then what the rest of the API shows of its owner. It must never be stored by a cache.
   */
  public static void answerWithSecretOnce(Context ctx, int status, String field, String secret, Map<String, Object> view) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put(field, secret);
    body.putAll(view);
    ctx.header("Cache-Control", "no-store").status(status).json(body);
  }

  public static String write(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise " + value.getClass(), e);
    }
  }
}
