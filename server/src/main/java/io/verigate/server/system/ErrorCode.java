package io.verigate.server.system;

/**
 * Stable machine codes for every refusal the core can give. These strings are public API: the REST
 * dialect returns them in problem documents and the SDK parses them. Dialects translate them into their
 * own tokens; add a code rather than reuse one with a different meaning.
 */
public enum ErrorCode {
  BAD_REQUEST(400, "Bad request"),
  MALFORMED_JSON(400, "Malformed JSON"),
  UNKNOWN_SERVICE(400, "Unknown service"),
  UNKNOWN_COUNTRY(400, "Unknown country"),
  // Email activations: the target site is a domain name, and the mailbox's domain one the operator serves.
  UNKNOWN_SITE(400, "Unknown or malformed site"),
  UNKNOWN_DOMAIN(400, "Unknown email domain"),
  BAD_KEY(401, "Invalid or missing API key"),
  NO_BALANCE(402, "Insufficient balance"),
  FORBIDDEN(403, "Forbidden"),
  SCOPE_REQUIRED(403, "The API key's scopes do not allow this"),
  ADDRESS_NOT_ALLOWED(403, "The API key may not be used from this address"),
  NOT_FOUND(404, "Not found"),
  METHOD_NOT_ALLOWED(405, "Method not allowed"),
  ACTIVATION_NOT_FOUND(404, "Activation not found"),
  NO_NUMBERS(409, "No numbers available"),
  EARLY_CANCEL_DENIED(409, "Too early to cancel"),
  INVALID_STATE(409, "Not allowed in the activation's current state"),
  IDEMPOTENCY_IN_FLIGHT(409, "A request with this Idempotency-Key is still in progress"),
  CONFLICT(409, "Conflict"),
  KEY_LIMIT(409, "Too many active API keys"),
  REUSE_NOT_POSSIBLE(409, "This number cannot be bought again for this service"),
  IDEMPOTENCY_KEY_REUSED(422, "Idempotency-Key reused with a different request"),
  PRICE_ABOVE_MAX(409, "Every matching number costs more than maxPrice"),
  // Travel eSIMs: no profile of the plan is free, or the eSIM's supplier will not top it up.
  ESIM_OUT_OF_STOCK(409, "No eSIM of this plan is in stock"),
  TOPUP_REFUSED(409, "This eSIM cannot be topped up with this plan"),
  // Rate limits and customer guards: refusals that end by waiting (RATE_LIMITED, LOW_SUCCESS_RATE) or by finishing
  // or cancelling a live activation (LIVE_ACTIVATION_LIMIT).
  RATE_LIMITED(429, "Too many requests"),
  LIVE_ACTIVATION_LIMIT(429, "Too many live activations"),
  LOW_SUCCESS_RATE(429, "Too few recent activations received a code"),
  // Server-Sent Events: each open stream holds a connection, so a customer and a node may hold only so many.
  TOO_MANY_STREAMS(429, "Too many open event streams"),
  PAYLOAD_TOO_LARGE(413, "Request body too large"),
  INTERNAL(500, "Internal error"),
  /** The database cannot be reached for now; the answer says when to retry. */
  SERVICE_UNAVAILABLE(503, "Service unavailable"),
  /** An eSIM supplier failed an order; nothing was charged. */
  SUPPLIER_UNAVAILABLE(503, "The eSIM supplier failed");

  private final int httpStatus;
  private final String title;

  ErrorCode(int httpStatus, String title) {
    this.httpStatus = httpStatus;
    this.title = title;
  }

  public int httpStatus() {
    return httpStatus;
  }

  public String title() {
    return title;
  }

  /**
   * The general code for a bare HTTP status, one chosen by the HTTP stack rather than by a rule: never a
   * specific refusal such as {@code NO_NUMBERS} that happens to share the status.
   */
  public static ErrorCode forStatus(int status) {
    return switch (status) {
      case 401 -> BAD_KEY;
      case 403 -> FORBIDDEN;
      case 404 -> NOT_FOUND;
      case 405 -> METHOD_NOT_ALLOWED;
      case 409 -> CONFLICT;
      case 413 -> PAYLOAD_TOO_LARGE;
      default -> status >= 500 ? INTERNAL : BAD_REQUEST;
    };
  }
}
