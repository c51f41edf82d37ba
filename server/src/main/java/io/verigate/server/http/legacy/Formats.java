package io.verigate.server.http.legacy;

import io.verigate.server.activation.Activation;
import io.verigate.server.activation.ActivationStatus;
import io.verigate.server.catalog.Country;
import io.verigate.server.wallet.Money;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Currency;

/**
 * How sms-activate writes values: phone numbers with the country code and no {@code +}, times as
 * {@code yyyy-MM-dd HH:mm:ss} (UTC here), amounts as JSON numbers, statuses as its {@code getStatus} tokens.
 */
final class Formats {
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

  private Formats() {}

  /** The ISO 4217 numeric code of a currency (840 for USD), as sms-activate's JSON gives it; 0 if unknown. */
  static int currencyNumber(String code) {
    return Currency.getAvailableCurrencies().stream()
        .filter(c -> c.getCurrencyCode().equals(code))
        .map(Currency::getNumericCode)
        .findFirst()
        .orElse(0);
  }

  static String phone(Activation activation) {
    return activation.phone().startsWith("+") ? activation.phone().substring(1) : activation.phone();
  }

  static String time(Instant instant) {
    return instant == null ? null : TIME.format(instant);
  }

  /** The key clients know a country by: its sms-activate id, or its ISO code for the few sms-activate never listed. */
  static String countryId(Country country) {
    return country.smsActivateId() != null ? String.valueOf(country.smsActivateId()) : country.iso();
  }

  static BigDecimal amount(Money money) {
    return new BigDecimal(money.toDecimalString());
  }

  /**
   * {@code getStatus}'s answer. After a request for another code the activation waits again and shows the
   * previous code as {@code STATUS_WAIT_RETRY:<last code>}; a finished activation still reports its code.
   */
  static String statusToken(Activation activation) {
    return switch (activation.status()) {
      case WAITING -> activation.hasCode() ? "STATUS_WAIT_RETRY:" + code(activation) : "STATUS_WAIT_CODE";
      case RECEIVED, FINISHED -> "STATUS_OK:" + code(activation);
      case CANCELED, EXPIRED, BANNED -> "STATUS_CANCEL";
    };
  }

  /** A code the customer has not asked to replace: after a request for another one, the old code is not current. */
  static boolean hasCurrentCode(Activation activation) {
    return activation.status() == ActivationStatus.RECEIVED || activation.status() == ActivationStatus.FINISHED;
  }

  /** The status token without its code, as JSON listings show it. */
  static String statusName(Activation activation) {
    String token = statusToken(activation);
    int colon = token.indexOf(':');
    return colon < 0 ? token : token.substring(0, colon);
  }

  /** The code as tokens carry it: clients split the answer on ':', so a code never contains one. */
  static String code(Activation activation) {
    return activation.code().replace(":", "");
  }
}
