package io.verigate.server.email;

import io.verigate.server.account.Mode;
import io.verigate.server.system.Database;
import io.verigate.server.system.ErrorCode;
import io.verigate.server.system.Failure;
import io.verigate.server.wallet.Money;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jdbi.v3.core.Handle;

/**
 * The domains the operator serves mail on, and what a mailbox on each costs per site. The configuration names the
 * domains (with an optional default price each); this class writes them to the database at start, where every node
 * reads them and the operator's per-site prices join them. The sandbox domain is always served, to test keys only.
 */
public final class EmailDomains {
  /** Mailboxes are made on demand, so there is no stock to count; listings show this as the number available. */
  public static final int AVAILABLE = 1000;
  private static final Pattern DOMAIN_NAME = Pattern.compile(
      "(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*");

  /** A domain as the operator configured it; {@code price} null for the default email price. */
  public record Configured(String name, Money price) {}

  /** A domain a customer may buy on, at its price for one site. */
  public record Offer(String domain, Money price) {}

  private final Database db;
  private final String sandboxDomain;

  public EmailDomains(Database db, List<Configured> configured, String sandboxDomain, Money defaultPrice) {
    this.db = db;
    this.sandboxDomain = sandboxDomain;
    db.inTransaction(h -> {
      h.createUpdate("UPDATE email_domain SET enabled = FALSE").execute();
      for (Configured domain : configured) {
        save(h, domain.name(), domain.price() == null ? defaultPrice : domain.price(), false);
      }
      save(h, sandboxDomain, defaultPrice, true);
      return null;
    });
  }

  /** The domains of the {@code email-domains} setting, which the configuration has checked already. */
  public static List<Configured> configured(String setting) {
    List<Configured> domains = new ArrayList<>();
    if (setting.isBlank()) {
      return domains;
    }
    for (String entry : setting.split(",")) {
      String[] parts = entry.strip().split(":");
      domains.add(new Configured(parts[0], parts.length > 1 ? Money.parse(parts[1]) : null));
    }
    return domains;
  }

  /** {@code name} lower-cased if it is a domain name; otherwise a refusal naming {@code what}. */
  public static String domainName(String what, String name) {
    String normalised = name == null ? "" : name.strip().toLowerCase(Locale.ROOT);
    if (!DOMAIN_NAME.matcher(normalised).matches()) {
      throw new Failure(what.equals("site") ? ErrorCode.UNKNOWN_SITE : ErrorCode.BAD_REQUEST,
          what + " must be a domain name such as " + (what.equals("site") ? "telegram.com" : "mail.example.com")
              + ", got '" + (name == null ? "" : name) + "'");
    }
    return normalised;
  }

  /** Whether {@code name} is a valid domain name, for the configuration's checks. */
  public static boolean isDomainName(String name) {
    return name != null && DOMAIN_NAME.matcher(name).matches();
  }

  public String sandboxDomain() {
    return sandboxDomain;
  }

  /** The domains a key of this mode may buy on for {@code site}, cheapest first. */
  public List<Offer> offers(Mode mode, String site) {
    return db.withHandle(h -> offers(h, mode, site));
  }

  List<Offer> offers(Handle h, Mode mode, String site) {
    List<Offer> offers = new ArrayList<>(h.createQuery("SELECT d.name, COALESCE(p.amount, d.price) AS price "
            + "FROM email_domain d LEFT JOIN email_price p ON p.domain = d.name AND p.site = :site "
            + "WHERE d.enabled AND d.sandbox = :sandbox ORDER BY d.name")
        .bind("site", site).bind("sandbox", mode == Mode.TEST)
        .map((rs, ctx) -> new Offer(rs.getString("name"), Money.ofUnits(rs.getLong("price")))).list());
    offers.sort(Comparator.comparing(Offer::price));
    return offers;
  }

  /** The offer on {@code domain} (any domain when null: the cheapest) for this site, or a refusal. */
  Offer choose(Handle h, Mode mode, String site, String domain) {
    List<Offer> offers = offers(h, mode, site);
    if (domain == null) {
      return offers.stream().findFirst().orElseThrow(() -> new Failure(ErrorCode.NO_NUMBERS,
          "no email domain is served" + (mode == Mode.TEST ? " to test keys" : "")));
    }
    String wanted = domain.strip().toLowerCase(Locale.ROOT);
    return offers.stream().filter(o -> o.domain().equals(wanted)).findFirst()
        .orElseThrow(() -> new Failure(ErrorCode.UNKNOWN_DOMAIN, "domain '" + domain + "' is not served"
            + (mode == Mode.TEST ? " to test keys (they use " + sandboxDomain + ")" : "")));
  }

  /** Whether mail for this domain is taken at all: the configured ones and the sandbox's. */
  public boolean serves(String domain) {
    return db.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM email_domain WHERE name = :n AND enabled")
        .bind("n", domain.toLowerCase(Locale.ROOT)).mapTo(Integer.class).one() > 0);
  }

  /** Sets the price of mailboxes on {@code domain} for {@code site}; returns the rule as stored. */
  public Map<String, Object> setPrice(String domain, String site, Money price) {
    String name = domainName("domain", domain);
    String forSite = domainName("site", site);
    if (price.units() <= 0) {
      throw new Failure(ErrorCode.BAD_REQUEST, "price must be greater than zero: a mailbox is paid through a hold");
    }
    return db.inTransaction(h -> {
      boolean known = h.createQuery("SELECT COUNT(*) FROM email_domain WHERE name = :n AND enabled")
          .bind("n", name).mapTo(Integer.class).one() > 0;
      if (!known) {
        throw new Failure(ErrorCode.UNKNOWN_DOMAIN, "domain '" + name + "' is not served (see email-domains)");
      }
      int updated = h.createUpdate("UPDATE email_price SET amount = :a WHERE domain = :d AND site = :s")
          .bind("a", price.units()).bind("d", name).bind("s", forSite).execute();
      if (updated == 0) {
        h.createUpdate("INSERT INTO email_price (domain, site, amount) VALUES (:d, :s, :a)")
            .bind("a", price.units()).bind("d", name).bind("s", forSite).execute();
      }
      Map<String, Object> rule = new LinkedHashMap<>();
      rule.put("domain", name);
      rule.put("site", forSite);
      rule.put("price", price.toDecimalString());
      return rule;
    });
  }

  private static void save(Handle h, String name, Money price, boolean sandbox) {
    int updated = h.createUpdate("UPDATE email_domain SET price = :p, sandbox = :s, enabled = TRUE WHERE name = :n")
        .bind("p", price.units()).bind("s", sandbox).bind("n", name).execute();
    if (updated == 0) {
      h.createUpdate("INSERT INTO email_domain (name, price, sandbox, enabled) VALUES (:n, :p, :s, TRUE)")
          .bind("p", price.units()).bind("s", sandbox).bind("n", name).execute();
    }
  }

  /** The domain part of an address, lower-cased; empty for something that is no address. */
  static Optional<String> domainOf(String address) {
    int at = address.lastIndexOf('@');
    return at <= 0 || at == address.length() - 1 ? Optional.empty()
        : Optional.of(address.substring(at + 1).toLowerCase(Locale.ROOT));
  }
}
