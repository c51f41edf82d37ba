package io.verigate.server.upstream;

import io.verigate.server.account.Actor;
import io.verigate.server.account.ApiKeys;
import io.verigate.server.inventory.NumberSource;
import io.verigate.server.inventory.NumberSources;
import io.verigate.server.system.Database;
import io.verigate.server.system.ErrorCode;
import io.verigate.server.system.Failure;
import io.verigate.server.system.SecretBox;
import io.verigate.server.wallet.Money;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import org.jdbi.v3.core.result.ResultIterable;
import org.jdbi.v3.core.statement.Query;

/**
 * The upstream providers registered with this node. Each is a number source of type upstream, so its relayed codes
 * count in the source's health, with its protocol, base URL and API key (stored sealed under the master key,
 * {@link SecretBox}) and its price rule. They are listed in the order they were registered, which breaks ties
 * between equal prices ({@link UpstreamQuotes}).
 */
final class Upstreams {
  private static final String SELECT = "SELECT s.id, s.name, u.protocol, u.base_url, u.api_key, u.rank_order, "
      + "u.markup_percent, u.fixed_price FROM upstream_provider u JOIN number_source s ON s.id = u.source_id";

  private final Database db;
  private final NumberSources sources;
  private final SecretBox secrets;

  /** This node's own customers' keys: an upstream is never this node itself. */
  private final ApiKeys ownKeys;

  Upstreams(Database db, NumberSources sources, SecretBox secrets, ApiKeys ownKeys) {
    this.db = db;
    this.ownKeys = ownKeys;
    this.sources = sources;
    this.secrets = secrets;
  }

  /** Registers an upstream under a new source name; the key is checked and sealed before anything is stored. */
  Upstream register(Actor actor, String name, String protocol, String baseUrl, String key, PriceRule rule) {
    Protocol speaks = Protocol.of(protocol);
    URI url = baseUrl(baseUrl);
    if (key == null || !key.matches("[\\x21-\\x7E]{1,500}")) {
      throw new Failure(ErrorCode.BAD_REQUEST, "apiKey must be 1-500 printable ASCII characters without spaces: the "
          + "key of this node's account at the upstream");
    }
    if (ownKeys.find(key).isPresent()) {
      // This node itself (or another node on the same database): every purchase would buy from itself in a loop.
      throw new Failure(ErrorCode.BAD_REQUEST, "apiKey is a key of this node's own customers: a node cannot resell "
          + "from itself");
    }
    String sealed = secrets.seal(key);
    // As with SIM-bank agents, the source (name rules, uniqueness, health) is the number sources'; the upstream's
    // settings follow in a second transaction, and a source left without them is ignored.
    NumberSource source = sources.create(actor, name, NumberSource.UPSTREAM).source();
    int rank = db.withHandle(h -> {
      int next = h.createQuery("SELECT COALESCE(MAX(rank_order), 0) + 1 FROM upstream_provider").mapTo(Integer.class).one();
      h.createUpdate("INSERT INTO upstream_provider (source_id, protocol, base_url, api_key, rank_order, markup_percent, "
              + "fixed_price) VALUES (:s, :p, :u, :k, :r, :m, :f)")
          .bind("s", source.id()).bind("p", speaks.code()).bind("u", url.toString()).bind("k", sealed).bind("r", next)
          .bind("m", rule.markupPercent())
          .bind("f", rule.fixedPrice() == null ? null : rule.fixedPrice().units())
          .execute();
      return next;
    });
    return new Upstream(source.id(), source.name(), speaks, url, key, rank, rule);
  }

  /** Every upstream, in registration order. */
  List<Upstream> all() {
    return db.withHandle(h -> upstreams(h.createQuery(SELECT + " ORDER BY u.rank_order")).list());
  }

  private ResultIterable<Upstream> upstreams(Query query) {
    return query.map((rs, ctx) -> {
      Object fixed = rs.getObject("fixed_price");
      Object markup = rs.getObject("markup_percent");
      PriceRule rule = new PriceRule(markup == null ? null : rs.getInt("markup_percent"),
          fixed == null ? null : Money.ofUnits(rs.getLong("fixed_price")));
      return new Upstream(rs.getLong("id"), rs.getString("name"), Protocol.of(rs.getString("protocol")),
          URI.create(rs.getString("base_url")), secrets.open(rs.getString("api_key")), rs.getInt("rank_order"), rule);
    });
  }

  private static URI baseUrl(String raw) {
    if (raw != null) {
      try {
        URI uri = new URI(raw.trim());
        boolean http = "https".equals(uri.getScheme()) || "http".equals(uri.getScheme());
        if (http && uri.getHost() != null && raw.trim().length() <= 1000) {
          return uri;
        }
      } catch (URISyntaxException e) {
        // refused below
      }
    }
    throw new Failure(ErrorCode.BAD_REQUEST, "baseUrl must be the upstream's absolute http(s) URL of at most 1000 "
        + "characters, e.g. https://api.sms-activate.example or https://verigate.example.com; got '" + raw + "'");
  }
}
