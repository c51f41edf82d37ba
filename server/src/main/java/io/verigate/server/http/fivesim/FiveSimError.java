package io.verigate.server.http.fivesim;

import io.verigate.server.system.ErrorCode;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * 5sim's refusals: a plain-text body with a status code, which its clients match on. Each constant names the
 * core codes it translates by default; endpoints where 5sim words the same refusal differently throw their
 * own constant instead.
 *
 * <p>"no free phones" is sent with 400, although 5sim's documentation shows it with 200 on a purchase: every
 * client we know recognises it at 400 (npm {@code fivesim-api} only there, PyFiveSim turns it into a 400,
 * ErikPelli's fivesim matches the text), while at 200 {@code fivesim-api} would hand the text back as if it
 * were an order.
 */
enum FiveSimError {
  /**
   * 5sim answers a missing or bad key with a bare 401. It has no scopes or allowlists, so a key that may not do
   * this, or not from here, is a bad key to its clients too.
   */
  UNAUTHORIZED(401, "", ErrorCode.BAD_KEY, ErrorCode.SCOPE_REQUIRED, ErrorCode.ADDRESS_NOT_ALLOWED),
  NO_FREE_PHONES(400, "no free phones", ErrorCode.NO_NUMBERS, ErrorCode.PRICE_ABOVE_MAX),
  NOT_ENOUGH_USER_BALANCE(400, "not enough user balance", ErrorCode.NO_BALANCE),
  BAD_COUNTRY(400, "bad country", ErrorCode.UNKNOWN_COUNTRY),
  BAD_OPERATOR(400, "bad operator"),
  NO_PRODUCT(400, "no product", ErrorCode.UNKNOWN_SERVICE),
  /** The guest price list's words for an unknown country or product. */
  COUNTRY_IS_INCORRECT(400, "country is incorrect"),
  PRODUCT_IS_INCORRECT(400, "product is incorrect"),
  ORDER_NOT_FOUND(404, "order not found", ErrorCode.ACTIVATION_NOT_FOUND),
  /** The SMS inbox's words for an order that does not exist. */
  RECORD_NOT_FOUND(404, "record not found"),
  /** Any action on an order that has ended, the only word 5sim documents for it. */
  ORDER_EXPIRED(400, "order expired"),
  ORDER_HAS_SMS(400, "order has sms"),
  ORDER_NO_SMS(400, "order no sms"),
  WAIT_BEFORE_CANCEL(400, "you need to wait time", ErrorCode.EARLY_CANCEL_DENIED),
  REUSE_NOT_POSSIBLE(400, "reuse not possible", ErrorCode.REUSE_NOT_POSSIBLE),
  /**
   * The cap on live activations. 5sim has no such word; 429 is the status its clients back off on (ErikPelli's fivesim
   * reads any 429 as a spent API limit), which is what a customer at the cap should do.
   */
  TOO_MANY_ACTIVE_ORDERS(429, "too many active orders", ErrorCode.LIVE_ACTIVATION_LIMIT),
  /** 5sim's refusal for a buyer whose record is too poor to buy: our success-rate guard. */
  NOT_ENOUGH_RATING(400, "not enough rating", ErrorCode.LOW_SUCCESS_RATE);

  private final int status;
  private final String text;
  private final List<ErrorCode> translates;

  FiveSimError(int status, String text, ErrorCode... translates) {
    this.status = status;
    this.text = text;
    this.translates = List.of(translates);
  }

  int status() {
    return status;
  }

  String text() {
    return text;
  }

  /** The 5sim refusal a core code becomes by default; empty when 5sim has no word for it. */
  static Optional<FiveSimError> translating(ErrorCode code) {
    return Arrays.stream(values()).filter(e -> e.translates.contains(code)).findFirst();
  }

  Refused refused() {
    return new Refused(this);
  }

  /** Thrown by a handler to answer with this refusal. */
  static final class Refused extends RuntimeException {
    private final FiveSimError error;

    private Refused(FiveSimError error) {
      super(error.text, null, false, false);
      this.error = error;
    }

    FiveSimError error() {
      return error;
    }
  }
}
