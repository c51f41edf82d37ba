package io.verigate.server.http.support;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.javalin.http.Context;
import io.verigate.server.system.ErrorCode;
import io.verigate.server.system.Failure;
import java.io.IOException;

/** One Jackson setup for every dialect: ISO-8601 UTC timestamps, nulls kept, unknown fields ignored. */
public final class Json {
  public static final ObjectMapper MAPPER = new ObjectMapper()
      .registerModule(new JavaTimeModule())
      .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private Json() {}

  /** The request body as a JSON object; anything else is a MALFORMED_JSON refusal, never a 500. */
  public static JsonNode body(Context ctx) {
    String body = ctx.body();
    if (body == null || body.isBlank()) {
      throw new Failure(ErrorCode.MALFORMED_JSON, "request body must be a JSON object");
    }
    try {
      JsonNode node = MAPPER.readTree(body);
      if (node == null || !node.isObject()) {
        throw new Failure(ErrorCode.MALFORMED_JSON, "request body must be a JSON object");
      }
      return node;
    } catch (JsonProcessingException e) {
      throw new Failure(ErrorCode.MALFORMED_JSON, "request body is not valid JSON: " + e.getOriginalMessage());
    }
  }

  /** A webhook's raw body as a JSON object; anything else is a MALFORMED_JSON refusal, never a 500. */
  public static JsonNode webhookBody(byte[] body) {
    JsonNode root;
    try {
      root = MAPPER.readTree(body);
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

  public static String write(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise " + value.getClass(), e);
    }
  }
}
