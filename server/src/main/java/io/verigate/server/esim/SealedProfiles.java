package io.verigate.server.esim;

import io.verigate.server.system.SecretBox;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * A profile's matching id and confirmation code as the database keeps them: whoever reads them can install the eSIM
 * on any phone, once, so they are sealed under the node's master key like source secrets ({@link SecretBox}). A node
 * without a master key (PostgreSQL with none configured yet) stores them as they are rather than refusing to sell,
 * and the start-up pass of {@code SecretsAtRest} seals them once a key is configured; it also seals rows stored before
 * sealing existed. The ICCID and SM-DP+ address stay readable: they alone install nothing, and the ICCID is looked up.
 */
final class SealedProfiles {
  private final SecretBox box;

  SealedProfiles(SecretBox box) {
    this.box = box;
  }

  /** The value to store for a matching id or confirmation code; null stays null. */
  String seal(String secret) {
    return box.hasKey() ? box.seal(secret) : secret;
  }

  /** The profile of a row with columns {@code iccid, smdp_address, matching_id, confirmation_code}. */
  Profile read(ResultSet rs) throws SQLException {
    return new Profile(rs.getString("iccid"),
        ActivationCode.of(rs.getString("smdp_address"), box.open(rs.getString("matching_id"))),
        box.open(rs.getString("confirmation_code")));
  }
}
