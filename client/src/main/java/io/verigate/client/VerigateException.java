package io.verigate.client;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * The server refused a request: its HTTP status, the stable problem {@code code} (such as {@code NO_NUMBERS})
 * and the human-readable {@code detail}. {@link #problem()} holds the whole problem document, including
 * extra members such as {@code minPrice} on {@code PRICE_ABOVE_MAX}.
 */
public final class VerigateException extends RuntimeException {
  private final int status;
  private final String code;
  private final String detail;
  private final Map<String, Object> problem;
  private final Duration retryAfter;

  public VerigateException(int status, String code, String detail, Map<String, Object> problem) {
    this(status, code, detail, problem, null);
  }

  /** A refusal that also said when to ask again (its {@code Retry-After} header). */
  public VerigateException(int status, String code, String detail, Map<String, Object> problem, Duration retryAfter) {
    super("HTTP " + status + " " + code + ": " + detail);
    this.status = status;
    this.code = code;
    this.detail = detail;
    this.problem = Map.copyOf(problem);
    this.retryAfter = retryAfter;
  }

  public int status() {
    return status;
  }

  /** The stable machine code, or {@code UNEXPECTED_RESPONSE} when the answer was not a problem document. */
  public String code() {
    return code;
  }

  public String detail() {
    return detail;
  }

  /** Every non-null member of the problem document, e.g. {@code problem().get("minPrice")}. */
  public Map<String, Object> problem() {
    return problem;
  }

  /** The server's {@code Retry-After} (on {@code 429 RATE_LIMITED} and the like); empty when it sent none. */
  public Optional<Duration> retryAfter() {
    return Optional.ofNullable(retryAfter);
  }
}
