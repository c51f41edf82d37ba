package io.verigate.server.esim;

import io.verigate.server.system.ErrorCode;
import io.verigate.server.system.Failure;

/**
 * A downloadable eSIM profile: its ICCID, where it downloads from and the code that names it there, and the
 * confirmation code when its SM-DP+ asks for one (null otherwise).
 */
public record Profile(String iccid, ActivationCode activationCode, String confirmationCode) {

  /**
   * A profile as the operator imports it: a checked ICCID, the activation code's address and matching id (its optional
   * fields dropped), a confirmation code of 4-16 letters or digits.
   */
  public static Profile checked(String iccid, ActivationCode code, String confirmationCode) {
    String confirmation = confirmationCode == null || confirmationCode.isBlank() ? null : confirmationCode.strip();
    if (confirmation != null && !confirmation.matches("[A-Za-z0-9]{4,16}")) {
      throw new Failure(ErrorCode.BAD_REQUEST, "a confirmation code is 4-16 letters or digits");
    }
    return new Profile(Iccid.valid(iccid), ActivationCode.of(code.smdpAddress(), code.matchingId()), confirmation);
  }
}
