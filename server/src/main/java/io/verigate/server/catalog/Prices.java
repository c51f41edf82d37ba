package io.verigate.server.catalog;

import io.verigate.server.system.Database;
import io.verigate.server.system.ErrorCode;
import io.verigate.server.system.Failure;
import io.verigate.server.wallet.Money;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/**
 * Operator-set prices per service, country and operator. {@code *} in the service or country column is a
 * wildcard, and {@code any} in the operator column covers every operator; the most specific row wins and
 * the configured default applies when no row matches.
 */
public final class Prices {
  public static final String WILDCARD = "*";
  public static final String ANY_OPERATOR = "any";

  private final Database db;
  private final Money defaultPrice;

  public Prices(Database db, Money defaultPrice) {
    this.db = db;
    this.defaultPrice = defaultPrice;
  }

  public record PriceRule(String service, String country, String operator, Money amount) {}

  public Money defaultPrice() {
    return defaultPrice;
  }

  public Money priceFor(String service, String country, String operator) {
    return db.withHandle(h -> priceFor(h, service, country, operator));
  }

  public Money priceFor(Handle h, String service, String country, String operator) {
    // Most specific first: exact operator, then any operator; exact service and country before wildcards.
    List<PriceRule> rules = h.createQuery("SELECT service, country, operator, amount FROM price "
            + "WHERE service IN (:s, '*') AND country IN (:c, '*') AND operator IN (:o, 'any')")
        .bind("s", service).bind("c", country).bind("o", operator)
        .map((rs, ctx) -> new PriceRule(rs.getString("service"), rs.getString("country"), rs.getString("operator"),
            Money.ofUnits(rs.getLong("amount"))))
        .list();
    return mostSpecific(rules);
  }

  /** Looks prices up in rules read once, for listings that price many services and countries in one request. */
  @FunctionalInterface
  public interface PriceTable {
    Money priceFor(String service, String country, String operator);
  }

  /** Every rule in one read; lookups resolve exactly as {@link #priceFor} does, without the database. */
  public PriceTable table() {
    List<PriceRule> all = rules();
    return (service, country, operator) -> mostSpecific(all.stream()
        .filter(r -> (r.service().equals(service) || r.service().equals(WILDCARD))
            && (r.country().equals(country) || r.country().equals(WILDCARD))
            && (r.operator().equals(operator) || r.operator().equals(ANY_OPERATOR)))
        .toList());
  }

  private Money mostSpecific(List<PriceRule> matching) {
    return matching.stream()
        .max(java.util.Comparator.comparingInt(Prices::specificity))
        .map(PriceRule::amount)
        .orElse(defaultPrice);
  }

  public PriceRule set(String service, String country, String operator, Money amount) {
    PriceRule rule = new PriceRule(service, country, operator, amount);
    db.inTransaction(h -> {
      h.createUpdate("DELETE FROM price WHERE service = :s AND country = :c AND operator = :o")
          .bind("s", service).bind("c", country).bind("o", operator).execute();
      return h.createUpdate("INSERT INTO price (service, country, operator, amount) VALUES (:s, :c, :o, :a)")
          .bind("s", service).bind("c", country).bind("o", operator).bind("a", amount.units()).execute();
    });
    return rule;
  }

  public void remove(String service, String country, String operator) {
    int removed = db.inTransaction(h -> h.createUpdate("DELETE FROM price WHERE service = :s AND country = :c AND operator = :o")
        .bind("s", service).bind("c", country).bind("o", operator).execute());
    if (removed == 0) {
      throw new Failure(ErrorCode.NOT_FOUND, "no price set for " + service + "/" + country + "/" + operator);
    }
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
