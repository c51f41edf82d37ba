package io.verigate.cli;

import io.verigate.client.Activation;
import java.io.PrintWriter;

/** How customer commands show an activation to a person. */
final class ActivationText {
  private ActivationText() {}

  /** {@code +12015550123 (activation 100001: wa in US, 0.50 USD)}. */
  static String number(Activation a) {
    return a.phoneNumber() + " (activation " + a.id() + ": " + a.serviceCode() + " in " + a.countryIso()
        + operator(a) + ", " + cost(a) + ")";
  }

  /** The code and the SMS it came in. */
  static String code(Activation a) {
    return "Code: " + a.code() + (a.smsText() == null ? "" : "  (SMS" + (a.smsFrom() == null ? "" : " from " + a.smsFrom())
        + ": " + oneLine(a.smsText()) + ")");
  }

  /** Everything a customer may want to know about one activation, one fact a line. */
  static void details(Activation a, PrintWriter out) {
    out.println("Activation " + a.id() + ": " + a.phoneNumber() + " for " + a.serviceCode() + " in " + a.countryIso()
        + operator(a));
    out.println("  status:   " + a.status());
    if (a.code() != null) {
      out.println("  code:     " + a.code() + (a.isWaiting() ? " (the previous one; waiting for another)" : ""));
    }
    if (a.smsText() != null) {
      out.println("  sms:      " + oneLine(a.smsText()) + (a.smsFrom() == null ? "" : " (from " + a.smsFrom() + ")"));
    }
    out.println("  cost:     " + cost(a));
    out.println("  created:  " + a.createdAt());
    out.println(a.endedAt() == null ? "  expires:  " + a.expiresAt() : "  ended:    " + a.endedAt());
  }

  /** What a finish did: {@code Finished activation 100001: charged 0.50 USD.} */
  static String finished(Activation a) {
    return "Finished activation " + a.id() + ": charged " + cost(a) + ".";
  }

  /** What a cancel did; one of an activation that had already expired answers it as EXPIRED, refunded all the same. */
  static String refunded(Activation a) {
    return "Activation " + a.id() + " is " + a.status() + ": " + cost(a) + " refunded.";
  }

  static String cost(Activation a) {
    return a.userCost().toPlainString() + " " + a.currency();
  }

  /** An SMS on one line: services put blank lines between the code and their warnings. */
  private static String oneLine(String text) {
    return text.strip().replaceAll("\\s+", " ");
  }

  private static String operator(Activation a) {
    return a.operator() == null || a.operator().equals("any") ? "" : " (" + a.operator() + ")";
  }
}
