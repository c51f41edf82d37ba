package io.verigate.server.system;

import static org.assertj.core.api.Assertions.assertThat;

import io.verigate.server.testing.TestApp;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The start-up pass over eSIM profiles, the table that grows to 100k rows: it seals what is in clear, batch by batch,
 * and on the next start finds nothing to do instead of reading every sealed profile again.
 */
class SealingPassTest {
  private static final byte[] KEY = "sealing-pass-test-master-key-32b".getBytes(StandardCharsets.US_ASCII);

  @Test
  void sealsProfilesInClearOnceAndThenOnlyTheNewOne() {
    try (TestApp app = TestApp.start(Map.of("master-key", Base64.getEncoder().encodeToString(KEY)))) {
      Database db = app.app().database();
      SecretBox box = SecretBox.of(KEY, null);
      profile(db, "8901000000000000001", "MATCH-1", "1111");
      profile(db, "8901000000000000002", "MATCH-2", null);
      profile(db, "8901000000000000003", "MATCH-3", "3333");

      assertThat(SealingPass.run(db, box, 2)).as("five values, in batches of two").isEqualTo(5);
      assertThat(SealingPass.run(db, box, 2)).as("the next start").isZero();

      profile(db, "8901000000000000004", "MATCH-4", "4444");
      assertThat(SealingPass.run(db, box, 2)).as("only the profile stored since").isEqualTo(2);

      List<String> stored = db.withHandle(h -> h.createQuery(
          "SELECT matching_id FROM esim_profile ORDER BY id").mapTo(String.class).list());
      assertThat(stored).allSatisfy(value -> assertThat(value).startsWith(box.sealedPrefix()));
      assertThat(stored).map(box::open).containsExactly("MATCH-1", "MATCH-2", "MATCH-3", "MATCH-4");
      String code = db.withHandle(h -> h.createQuery("SELECT confirmation_code FROM esim_profile WHERE iccid = :i")
          .bind("i", "8901000000000000004").mapTo(String.class).one());
      assertThat(box.open(code)).isEqualTo("4444");
    }
  }

  /** A profile in stock as a node without a master key, or one from before sealing, stored it: in clear. */
  private static void profile(Database db, String iccid, String matchingId, String confirmationCode) {
    db.withHandle(h -> h.createUpdate("INSERT INTO esim_profile (plan_id, iccid, smdp_address, matching_id, "
            + "confirmation_code, imported_at) VALUES ('plan-1', :iccid, 'smdp.example.com', :m, :c, CURRENT_TIMESTAMP)")
        .bind("iccid", iccid).bind("m", matchingId).bind("c", confirmationCode).execute());
  }
}
