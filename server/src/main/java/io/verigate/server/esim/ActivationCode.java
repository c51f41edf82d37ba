package io.verigate.server.esim;

import io.verigate.server.system.ErrorCode;
import io.verigate.server.system.Failure;
import java.util.regex.Pattern;

/**
 * An eSIM activation code as GSMA SGP.22 §4.1 defines it:
 * {@code [LPA:]1$<SM-DP+ address>$<matching id>[$<SM-DP+ OID>[$<confirmation code required flag "1">]]}. The
 * confirmation code itself is never part of it: it is delivered as a field of its own.
 *
 * <p>What we hand out is the minimal form {@link #text()}, {@code LPA:1$<SM-DP+>$<matching id>}: scanners and LPAs
 * disagree on the optional fields (an empty OID before the flag, an OID in the QR), and every device asks for a
 * confirmation code when the SM-DP+ requires one anyway.
 */
public record ActivationCode(String smdpAddress, String matchingId, String smdpOid, boolean confirmationCodeRequired) {
  private static final String QR_PREFIX = "LPA:";
  private static final Pattern FQDN =
      Pattern.compile("(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\\.)+[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?");
  /** SGP.22's matching ids are upper-case letters, digits and hyphens; some SM-DP+s also use lower case. */
  private static final Pattern MATCHING_ID = Pattern.compile("[A-Za-z0-9-]{0,255}");
  private static final Pattern OID = Pattern.compile("\\d+(\\.\\d+)*");

  public ActivationCode {
    if (smdpAddress == null || !FQDN.matcher(smdpAddress).matches()) {
      throw invalid("the SM-DP+ address must be a host name such as smdp.example.com, got '" + smdpAddress + "'");
    }
    if (matchingId == null || !MATCHING_ID.matcher(matchingId).matches()) {
      throw invalid("the matching id may hold only letters, digits and hyphens, got '" + matchingId + "'");
    }
    if (smdpOid != null && !smdpOid.isEmpty() && !OID.matcher(smdpOid).matches()) {
      throw invalid("the SM-DP+ OID must be dotted digits such as 1.3.6.1.4.1.31746, got '" + smdpOid + "'");
    }
  }

  /** The code of a profile we sell: an address and a (non-empty) matching id, nothing optional. */
  public static ActivationCode of(String smdpAddress, String matchingId) {
    if (matchingId == null || matchingId.isEmpty()) {
      throw invalid("a matching id is required");
    }
    return new ActivationCode(smdpAddress, matchingId, "", false);
  }

  /**
   * Parses a code in either form (with the QR's {@code LPA:} prefix or without). The matching id and the OID may be
   * empty, but their fields must be there up to the last one given; the flag, when present, is "1".
   */
  public static ActivationCode parse(String text) {
    if (text == null) {
      throw invalid("an activation code is required");
    }
    String body = text.startsWith(QR_PREFIX) ? text.substring(QR_PREFIX.length()) : text;
    String[] fields = body.split("\\$", -1);
    if (fields.length < 3 || fields.length > 5 || !fields[0].equals("1")) {
      throw invalid("an activation code reads 1$<SM-DP+ address>$<matching id>, got '" + text + "'");
    }
    if (fields.length == 5 && !fields[4].equals("1")) {
      throw invalid("the confirmation-code-required flag can only be 1, got '" + fields[4] + "'");
    }
    return new ActivationCode(fields[1], fields[2], fields.length >= 4 ? fields[3] : "", fields.length == 5);
  }

  /** The minimal form that goes into QR codes and install links: {@code LPA:1$<SM-DP+>$<matching id>}. */
  public String text() {
    return QR_PREFIX + "1$" + smdpAddress + "$" + matchingId;
  }

  private static Failure invalid(String detail) {
    return new Failure(ErrorCode.BAD_REQUEST, detail);
  }
}
