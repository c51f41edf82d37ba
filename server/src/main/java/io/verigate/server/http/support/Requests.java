package io.verigate.server.http.support;

import io.javalin.http.Context;
import io.verigate.server.system.ErrorCode;
import io.verigate.server.system.Failure;

/** Reading request parameters with refusals that name the parameter. */
public final class Requests {
  private Requests() {}

  /**
   * The API key as any of our clients send it: {@code x-api-key}, {@code Authorization: Bearer}, or the
   * {@code key} / {@code api_key} query parameter (quick-start and sms-activate clients).
   */
  public static String apiKey(Context ctx) {
    String header = ctx.header("x-api-key");
    if (header != null && !header.isBlank()) {
      return header.trim();
    }
    String bearer = bearer(ctx);
    if (bearer != null) {
      return bearer;
    }
    String key = ctx.queryParam("key");
    return key != null ? key.trim() : trimmed(ctx.queryParam("api_key"));
  }

  public static String bearer(Context ctx) {
    String auth = ctx.header("Authorization");
    if (auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return auth.substring(7).trim();
    }
    return null;
  }

  public static int intParam(String name, String value) {
    if (value == null || value.isBlank()) {
      throw new Failure(ErrorCode.BAD_REQUEST, name + " is required");
    }
    try {
      return Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      throw new Failure(ErrorCode.BAD_REQUEST, name + " must be a whole number, got '" + value + "'");
    }
  }

  /** An activation id from the path or a query; anything not a positive int cannot exist, so it is not found. */
  public static int activationId(String value) {
    try {
      int id = Integer.parseInt(value == null ? "" : value.trim());
      if (id > 0) {
        return id;
      }
    } catch (NumberFormatException e) {
      // falls through
    }
    if (value == null || value.isBlank()) {
      throw new Failure(ErrorCode.BAD_REQUEST, "id is required");
    }
    throw new Failure(ErrorCode.ACTIVATION_NOT_FOUND, "no activation with id " + value);
  }

  /** An eSIM's id from a path: anything not a positive number cannot exist, so it is not found. */
  public static long esimId(String value) {
    try {
      long id = Long.parseLong(value == null ? "" : value.trim());
      if (id > 0) {
        return id;
      }
    } catch (NumberFormatException e) {
      // falls through
    }
    throw new Failure(ErrorCode.NOT_FOUND, "no eSIM with id " + value);
  }

  public static int limit(String value, int defaultLimit, int max) {
    if (value == null || value.isBlank()) {
      return defaultLimit;
    }
    int limit = intParam("limit", value);
    if (limit < 1 || limit > max) {
      throw new Failure(ErrorCode.BAD_REQUEST, "limit must be between 1 and " + max);
    }
    return limit;
  }

  private static String trimmed(String value) {
    return value == null ? null : value.trim();
  }
}
