package io.verigate.server.esim;

import io.verigate.server.system.ErrorCode;
import io.verigate.server.system.Failure;

/**
 * An ICCID, the number printed on (or burnt into) a SIM profile: ITU-T E.118, 18 to 22 digits starting with the
 * telecom industry's 89, the last a Luhn check digit over the others. A mistyped digit fails the check, so an import
 * with one is refused rather than selling a profile nobody can match.
 */
public final class Iccid {
  private Iccid() {}

  /** The ICCID with spaces removed, or a refusal that says what is wrong with it. */
  public static String valid(String text) {
    String digits = text == null ? "" : text.replace(" ", "");
    if (!digits.matches("89\\d{16,20}")) {
      throw new Failure(ErrorCode.BAD_REQUEST, "an ICCID is 18 to 22 digits starting with 89, got '" + text + "'");
    }
    if (!luhnValid(digits)) {
      throw new Failure(ErrorCode.BAD_REQUEST, "ICCID " + digits + " fails its Luhn check digit");
    }
    return digits;
  }

  /** Whether the last digit is the Luhn check digit of the ones before it. */
  public static boolean luhnValid(String digits) {
    return checkDigit(digits.substring(0, digits.length() - 1)) == digits.charAt(digits.length() - 1) - '0';
  }

  /** The Luhn check digit for {@code payload}: what a new ICCID (the sandbox's) ends with. */
  public static int checkDigit(String payload) {
    int sum = 0;
    boolean doubled = true;
    for (int i = payload.length() - 1; i >= 0; i--) {
      int digit = payload.charAt(i) - '0';
      if (doubled) {
        digit *= 2;
        if (digit > 9) {
          digit -= 9;
        }
      }
      sum += digit;
      doubled = !doubled;
    }
    return (10 - sum % 10) % 10;
  }
}
