package io.verigate.server.esim;

import io.verigate.server.account.Actor;
import io.verigate.server.account.Audit;
import io.verigate.server.account.AuditAction;
import io.verigate.server.account.AuditEntry;
import io.verigate.server.system.Database;
import io.verigate.server.system.ErrorCode;
import io.verigate.server.system.Failure;
import io.verigate.server.system.SecretBox;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;

/**
 * The operator's imported profiles. An order claims free ones with {@code FOR UPDATE SKIP LOCKED}, so concurrent
 * orders pass each other's claims instead of queueing behind them, and marks them sold in the same transaction:
 * a profile is never handed out twice, and one whose order rolls back is free again.
 */
public final class OwnStock implements EsimSupplier {
  private final Database db;
  private final Clock clock;
  private final Audit audit;
  private final SealedProfiles sealed;

  public OwnStock(Database db, Clock clock, Audit audit, SecretBox secrets) {
    this.db = db;
    this.clock = clock;
    this.audit = audit;
    this.sealed = new SealedProfiles(secrets);
  }

  @Override
  public String name() {
    return "own";
  }

  /** How an import went: profiles added, and ICCIDs skipped because they were in stock already. */
  public record Imported(int imported, int duplicates, int free) {}

  /**
   * Adds profiles to a plan's stock in one transaction; ICCIDs already known (of any plan) are skipped and counted. The
   * audit log records who did it.
   */
  public Imported importProfiles(Actor actor, String planId, List<Profile> profiles, EsimPlans plans) {
    return db.inTransaction(h -> {
      EsimPlan plan = plans.find(h, planId)
          .orElseThrow(() -> new Failure(ErrorCode.NOT_FOUND, "no eSIM plan '" + planId + "'"));
      if (plan.kind() != EsimPlan.Kind.ESIM) {
        throw new Failure(ErrorCode.BAD_REQUEST, "plan '" + planId + "' is a top-up; profiles belong to plans for new eSIMs");
      }
      List<String> known = h.createQuery("SELECT iccid FROM esim_profile WHERE iccid IN (<iccids>)")
          .bindList("iccids", profiles.stream().map(Profile::iccid).toList()).mapTo(String.class).list();
      PreparedBatch insert = h.prepareBatch("INSERT INTO esim_profile (plan_id, iccid, smdp_address, matching_id, "
          + "confirmation_code, imported_at) VALUES (:plan, :iccid, :smdp, :mid, :cc, :at)");
      Set<String> seen = new HashSet<>(known);
      int added = 0;
      for (Profile profile : profiles) {
        if (seen.add(profile.iccid())) {
          insert.bind("plan", planId).bind("iccid", profile.iccid())
              .bind("smdp", profile.activationCode().smdpAddress())
              .bind("mid", sealed.seal(profile.activationCode().matchingId()))
              .bind("cc", sealed.seal(profile.confirmationCode())).bind("at", OffsetDateTime.now(clock)).add();
          added++;
        }
      }
      if (added > 0) {
        insert.execute();
      }
      audit.record(h, new AuditEntry(actor, AuditAction.ESIM_PROFILES_IMPORTED, "esim_plan:" + planId,
          Map.of("imported", added, "duplicates", profiles.size() - added)));
      return new Imported(added, profiles.size() - added, free(h, planId));
    });
  }

  @Override
  public List<Profile> take(Handle h, EsimPlan plan, int quantity, long orderId) {
    record Row(long id, Profile profile) {}
    List<Row> claimed = h.createQuery("SELECT id, iccid, smdp_address, matching_id, confirmation_code FROM esim_profile "
            + "WHERE plan_id = :plan AND order_id IS NULL ORDER BY id LIMIT :n FOR UPDATE SKIP LOCKED")
        .bind("plan", plan.id()).bind("n", quantity)
        .map((rs, ctx) -> new Row(rs.getLong("id"), sealed.read(rs)))
        .list();
    if (claimed.size() < quantity) {
      throw new Failure(ErrorCode.ESIM_OUT_OF_STOCK, claimed.isEmpty() ? "plan '" + plan.id() + "' is out of stock"
          : "plan '" + plan.id() + "' has fewer than " + quantity + " eSIMs free now");
    }
    h.createUpdate("UPDATE esim_profile SET order_id = :order WHERE id IN (<ids>)")
        .bind("order", orderId).bindList("ids", claimed.stream().map(Row::id).toList()).execute();
    return claimed.stream().map(Row::profile).toList();
  }

  @Override
  public void checkTopUp(EsimPlan topUp) {
    // The operator's own plans may always be topped up: the operator sells the top-up only where its carrier allows it.
  }

  private static int free(Handle h, String planId) {
    return h.createQuery("SELECT COUNT(*) FROM esim_profile WHERE plan_id = :p AND order_id IS NULL").bind("p", planId)
        .mapTo(Integer.class).one();
  }
}
