package io.verigate.server.system;

import java.time.Duration;

/**
 * A rate-limit quota as the configuration writes it: {@code 600/1m} is 600 requests per one-minute window. The
 * window is a whole number of seconds, as the {@code RateLimit-Policy} header states it.
 */
public record Quota(long requests, Duration window) {
  public long windowSeconds() {
    return window.getSeconds();
  }

  @Override
  public String toString() {
    return requests + "/" + windowSeconds() + "s";
  }
}
