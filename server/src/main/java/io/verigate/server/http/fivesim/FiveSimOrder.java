package io.verigate.server.http.fivesim;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.verigate.server.activation.Activation;
import io.verigate.server.inbound.StoredSms;
import io.verigate.server.wallet.Money;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/** 5sim's Order JSON, field for field; {@code sms} is null until a message arrives, as 5sim sends it. */
record FiveSimOrder(
    int id,
    String phone,
    String operator,
    String product,
    BigDecimal price,
    String status,
    Instant expires,
    List<Sms> sms,
    @JsonProperty("created_at") Instant createdAt,
    boolean forwarding,
    @JsonProperty("forwarding_number") String forwardingNumber,
    String country) {

  /** One SMS of an order; {@code code} is empty when none was found in the text. */
  record Sms(@JsonProperty("created_at") Instant createdAt, Instant date, String sender, String text, String code) {
    static Sms of(StoredSms sms) {
      return new Sms(sms.receivedAt(), sms.receivedAt(), sms.sender(), sms.text(), sms.code() == null ? "" : sms.code());
    }
  }

  static FiveSimOrder of(Activation a, List<StoredSms> messages, FiveSimNames names) {
    return new FiveSimOrder(a.id(), a.phone(), a.operator(), names.productOfCode(a.service()), number(a.price()),
        status(a), a.expiresAt(), messages.isEmpty() ? null : messages.stream().map(Sms::of).toList(), a.createdAt(),
        false, "", names.slugOfIso(a.country()));
  }

  /**
   * 5sim's documentation calls PENDING "preparation" and RECEIVED "waiting of receipt of SMS", but its API and
   * every client treat them otherwise: an order is PENDING from purchase until an SMS arrives and RECEIVED from
   * then on (npm {@code fivesim-api} polls while PENDING and stops at RECEIVED). So a live activation is
   * RECEIVED once it has a code, which is also exactly when it can be finished; after another code is asked for
   * through another dialect it stays RECEIVED, as a 5sim order that gets a second SMS does.
   */
  static String status(Activation a) {
    return switch (a.status()) {
      case WAITING -> a.hasCode() ? "RECEIVED" : "PENDING";
      case RECEIVED -> "RECEIVED";
      case FINISHED -> "FINISHED";
      case CANCELED -> "CANCELED";
      case EXPIRED -> "TIMEOUT";
      case BANNED -> "BANNED";
    };
  }

  /** 5sim sends amounts as JSON numbers: the exact decimal, without trailing zeros or exponent. */
  static BigDecimal number(Money money) {
    BigDecimal exact = money.toBigDecimal().stripTrailingZeros();
    return exact.scale() < 0 ? exact.setScale(0) : exact;
  }
}
