package io.verigate.server.activation;

import io.verigate.server.account.Mode;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.jdbi.v3.core.Handle;

/**
 * What the purchase limits read of a customer's recent purchases of one product: SMS activations ({@link #SMS}) or
 * email activations ({@link #EMAIL}), each counted against limits of its own. Both tables share the columns read here.
 */
public final class PurchaseHistory {
  public static final PurchaseHistory SMS = new PurchaseHistory("activation");
  public static final PurchaseHistory EMAIL = new PurchaseHistory("email_activation");

  /** How many activations have a known outcome, and how many of those got a code. */
  public record OutcomeCounts(long counted, long succeeded) {}

  /** The outcome of one activation: when it was bought and whether a code ever reached it. */
  public record Outcome(Instant boughtAt, boolean gotCode) {}

  /** The table's name: one of two constants, never input. */
  private final String table;
  /** The customer's activations bought in a window whose outcome is known: a code came, it ended, or its time is up. */
  private final String knownOutcomes;

  private PurchaseHistory(String table) {
    this.table = table;
    this.knownOutcomes = "FROM " + table + " WHERE customer_id = :c AND mode = :m AND created_at > :since "
        + "AND (code_at IS NOT NULL OR status NOT IN ('WAITING', 'RECEIVED') OR expires_at <= :now)";
  }

  /**
   * How many of the customer's activations in this mode are live at {@code now}: not ended and within their lifetime.
   * Only activations bought since {@code boughtSince} (now minus the lifetime) can be, which keeps the index range to
   * the last lifetime's purchases however long the customer's history is.
   */
  public int countLive(Handle h, long customerId, Mode mode, Instant boughtSince, Instant now) {
    return h.createQuery("SELECT COUNT(*) FROM " + table + " WHERE customer_id = :c AND mode = :m "
            + "AND created_at > :since AND status IN ('WAITING', 'RECEIVED') AND expires_at > :now")
        .bind("c", customerId).bind("m", mode.sqlName()).bind("since", utc(boughtSince)).bind("now", utc(now))
        .mapTo(Integer.class).one();
  }

  /**
   * The outcomes of the customer's activations in this mode bought since {@code since}, as known at {@code now}, oldest
   * first. Those still waiting for a first code are left out: they may yet get one.
   */
  public List<Outcome> outcomes(Handle h, long customerId, Mode mode, Instant since, Instant now) {
    return h.createQuery("SELECT created_at, code_at " + knownOutcomes + " ORDER BY created_at")
        .bind("c", customerId).bind("m", mode.sqlName()).bind("since", utc(since)).bind("now", utc(now))
        .map((rs, ctx) -> new Outcome(rs.getObject("created_at", OffsetDateTime.class).toInstant(),
            rs.getObject("code_at") != null))
        .list();
  }

  /** {@link #outcomes} counted in the database, for the usual case where the rows themselves are not needed. */
  public OutcomeCounts outcomeCounts(Handle h, long customerId, Mode mode, Instant since, Instant now) {
    return h.createQuery("SELECT COUNT(*) AS counted, COUNT(code_at) AS succeeded " + knownOutcomes)
        .bind("c", customerId).bind("m", mode.sqlName()).bind("since", utc(since)).bind("now", utc(now))
        .map((rs, ctx) -> new OutcomeCounts(rs.getLong("counted"), rs.getLong("succeeded"))).one();
  }

  private static OffsetDateTime utc(Instant instant) {
    return instant.atOffset(ZoneOffset.UTC);
  }
}
