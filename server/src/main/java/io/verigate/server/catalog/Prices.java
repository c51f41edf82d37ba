package io.verigate.server.catalog;

import io.verigate.server.account.Actor;
import io.verigate.server.account.Audit;
import io.verigate.server.account.AuditAction;
import io.verigate.server.account.AuditEntry;
import io.verigate.server.system.Database;
import io.verigate.server.system.ErrorCode;
import io.verigate.server.system.Failure;
import io.verigate.server.system.NodeEvents;
import io.verigate.server.wallet.Money;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Operator-set prices per service, country and operator. {@code *} in the service or country column is a
 * wildcard, and {@code any} in the operator column covers every operator; the most specific row wins and
 * the configured default applies when no row matches.
 *
 * <p>Every purchase and listing looks prices up, and operators change them rarely, so the rules are kept in memory
 * as last read. A change drops them at once on the node that made it and, through a node event, on the others; while
 * this node may miss those events, every lookup reads the table again. Rules are also read again after
 * {@link #MAX_AGE}, which bounds how long a change whose event was lost can go unseen.
 */
public final class Prices {
  public static final String WILDCARD = "*";
  public static final String ANY_OPERATOR = "any";
  static final String CHANGED_CHANNEL = "verigate_prices";
  private static final Duration MAX_AGE = Duration.ofSeconds(30);

  private final Database db;
  private final Money defaultPrice;
  private final NodeEvents events;
  private final Audit audit;
  /** Counts the changes heard of: rules read before the latest one are never kept. */
  private final AtomicLong changes = new AtomicLong();
  private volatile Remembered remembered;

  private record Remembered(long changes, long readAt, List<PriceRule> rules) {}

  public Prices(Database db, Money defaultPrice, NodeEvents events, Audit audit) {
    this.db = db;
    this.defaultPrice = defaultPrice;
    this.events = events;
    this.audit = audit;
    events.subscribe(CHANGED_CHANNEL, payload -> changes.incrementAndGet(), changes::incrementAndGet);
  }

  public record PriceRule(String service, String country, String operator, Money amount) {}

  public Money defaultPrice() {
    return defaultPrice;
  }

  public Money priceFor(String service, String country, String operator) {
    return table().priceFor(service, country, operator);
  }

  /** Looks prices up in rules read once, for listings that price many services and countries in one request. */
  @FunctionalInterface
  public interface PriceTable {
    Money priceFor(String service, String country, String operator);
  }

  /** The rules in force; lookups resolve the most specific rule for each service, country and operator. */
  public PriceTable table() {
    List<PriceRule> all = rulesInForce();
    return (service, country, operator) -> mostSpecific(all.stream()
        .filter(r -> (r.service().equals(service) || r.service().equals(WILDCARD))
            && (r.country().equals(country) || r.country().equals(WILDCARD))
            && (r.operator().equals(operator) || r.operator().equals(ANY_OPERATOR)))
        .toList());
  }

  private List<PriceRule> rulesInForce() {
    long seen = changes.get();
    Remembered known = remembered;
    long now = System.nanoTime();
    if (known != null && known.changes() == seen && now - known.readAt() < MAX_AGE.toNanos() && events.listening()) {
      return known.rules();
    }
    List<PriceRule> read = rules();
    // A change heard of during the read may not be in it: such rules serve this lookup only.
    if (changes.get() == seen) {
      remembered = new Remembered(seen, now, read);
    }
    return read;
  }

  /** A change committed here: forget the rules now and tell the other nodes. */
  private void changed() {
    changes.incrementAndGet();
    events.publish(CHANGED_CHANNEL, "");
  }

  private Money mostSpecific(List<PriceRule> matching) {
    return matching.stream()
        .max(java.util.Comparator.comparingInt(Prices::specificity))
        .map(PriceRule::amount)
        .orElse(defaultPrice);
  }

  public PriceRule set(Actor actor, String service, String country, String operator, Money amount) {
    PriceRule rule = new PriceRule(service, country, operator, amount);
    db.inTransaction(h -> {
      h.createUpdate("DELETE FROM price WHERE service = :s AND country = :c AND operator = :o")
          .bind("s", service).bind("c", country).bind("o", operator).execute();
      h.createUpdate("INSERT INTO price (service, country, operator, amount) VALUES (:s, :c, :o, :a)")
          .bind("s", service).bind("c", country).bind("o", operator).bind("a", amount.units()).execute();
      audit.record(h, new AuditEntry(actor, AuditAction.PRICE_SET, "price:" + service + "/" + country + "/" + operator,
          Map.of("price", amount.toDecimalString())));
      return null;
    });
    changed();
    return rule;
  }

  public void remove(String service, String country, String operator) {
    int removed = db.inTransaction(h -> h.createUpdate("DELETE FROM price WHERE service = :s AND country = :c AND operator = :o")
        .bind("s", service).bind("c", country).bind("o", operator).execute());
    if (removed == 0) {
      throw new Failure(ErrorCode.NOT_FOUND, "no price set for " + service + "/" + country + "/" + operator);
    }
    changed();
  }

  public List<PriceRule> rules() {
    return db.withHandle(h -> h.createQuery("SELECT service, country, operator, amount FROM price ORDER BY service, country, operator")
        .map((rs, ctx) -> new PriceRule(rs.getString("service"), rs.getString("country"), rs.getString("operator"),
            Money.ofUnits(rs.getLong("amount"))))
        .list());
  }

  public Optional<PriceRule> rule(String service, String country, String operator) {
    return rules().stream()
        .filter(r -> r.service().equals(service) && r.country().equals(country) && r.operator().equals(operator))
        .findFirst();
  }

  private static int specificity(PriceRule rule) {
    return (rule.operator().equals(ANY_OPERATOR) ? 0 : 4)
        + (rule.service().equals(WILDCARD) ? 0 : 2)
        + (rule.country().equals(WILDCARD) ? 0 : 1);
  }
}
