package io.verigate.server.system;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * How every answer writes a point in time: ISO-8601 in UTC with exactly three decimals of the second
 * ({@code 2026-11-27T10:15:30.120Z}). The clock has nanoseconds and the database microseconds; an answer showing
 * either as it comes would write one moment two ways. Dialects with a format of their own (sms-activate's
 * {@code yyyy-MM-dd HH:mm:ss}) keep it.
 */
public final class Timestamps {
  private static final DateTimeFormatter MILLIS =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private Timestamps() {}

  public static String format(Instant instant) {
    return MILLIS.format(instant);
  }
}
