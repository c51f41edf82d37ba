package io.verigate.server.inbound.smshub;

import io.verigate.server.account.Actor;
import io.verigate.server.account.ApiKeyFormat;
import io.verigate.server.inventory.NumberSource;
import io.verigate.server.inventory.NumberSources;
import io.verigate.server.system.Database;
import io.verigate.server.system.ErrorCode;
import io.verigate.server.system.Failure;
import io.verigate.server.system.SecretBox;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.result.ResultIterable;
import org.jdbi.v3.core.statement.Query;

/**
 * The SIM-bank agents registered with this hub. Each is a number source of type smshub, so its messages count in
 * the source's health, with the URL of its protocol endpoint and the protocol key both sides put in every request,
 * stored sealed under the master key ({@link SecretBox}).
 */
public final class SmsHubAgents {
  private static final String SELECT = "SELECT s.id, s.name, a.url, a.protocol_key FROM smshub_agent a "
      + "JOIN number_source s ON s.id = a.source_id";

  private final Database db;
  private final NumberSources sources;
  private final SecretBox secrets;

  public SmsHubAgents(Database db, NumberSources sources, SecretBox secrets) {
    this.db = db;
    this.sources = sources;
    this.secrets = secrets;
  }

  /** A new agent and its protocol key, shown once: the operator enters the key in the agent's settings. */
  public record Registered(NumberSource source, URI url, String key) {}

  /**
   * Registers an agent under a new source name. Without a key one is generated; with one (the key the agent already
   * uses) it must be 1-200 printable characters without spaces.
   */
  public Registered register(Actor actor, String name, String url, String key) {
    URI endpoint = endpoint(url);
    String protocolKey = key == null ? ApiKeyFormat.random(32) : protocolKey(key);
    // Sealed before the source exists, so a node without a master key refuses before creating anything.
    String sealedKey = secrets.seal(protocolKey);
    // The source (its name rules, uniqueness, health) belongs to the number sources; the agent's settings follow in
    // a second transaction. Only a database failure in between leaves a source without them, which the hub then
    // ignores.
    NumberSource source = sources.create(actor, name, NumberSource.SMSHUB).source();
    db.withHandle(h -> h.createUpdate("INSERT INTO smshub_agent (source_id, url, protocol_key) VALUES (:s, :u, :k)")
        .bind("s", source.id()).bind("u", endpoint.toString()).bind("k", sealedKey).execute());
    return new Registered(source, endpoint, protocolKey);
  }

  /** New settings for a registered agent, checked as registration checks them; a null field stays as it is. */
  public record Change(long sourceId, String name, URI url, String key) {}

  /**
   * Checks new settings for the agent registered under this source name, storing nothing yet, so that a request that
   * also changes other settings can be refused whole. Empty when it gives neither a URL nor a key.
   */
  public Optional<Change> checkedChange(String name, String url, String key) {
    if (url == null && key == null) {
      return Optional.empty();
    }
    NumberSource source = sources.named(name)
        .orElseThrow(() -> new Failure(ErrorCode.NOT_FOUND, "no number source named " + name));
    if (!NumberSource.SMSHUB.equals(source.type())) {
      throw new Failure(ErrorCode.BAD_REQUEST, "agentUrl and agentKey apply to smshub sources only");
    }
    return Optional.of(new Change(source.id(), source.name(), url == null ? null : endpoint(url),
        key == null ? null : protocolKey(key)));
  }

  /**
   * Stores a checked change with its audit entries (a new key is recorded as a changed secret, never shown);
   * {@link SmsHub#reconfigure} says when the hub acts on it.
   */
  void apply(Actor actor, Change change) {
    List<String> settings = new ArrayList<>();
    List<String> secretNames = new ArrayList<>();
    if (change.url() != null) {
      settings.add("agentUrl");
    }
    if (change.key() != null) {
      secretNames.add("agentKey");
    }
    db.inTransaction(h -> {
      sources.recordChange(h, actor, change.name(), settings, secretNames);
      if (change.url() != null) {
        h.createUpdate("UPDATE smshub_agent SET url = :u WHERE source_id = :s")
            .bind("u", change.url().toString()).bind("s", change.sourceId()).execute();
      }
      if (change.key() != null) {
        h.createUpdate("UPDATE smshub_agent SET protocol_key = :k WHERE source_id = :s")
            .bind("k", secrets.seal(change.key())).bind("s", change.sourceId()).execute();
      }
      return null;
    });
  }

  List<Agent> all() {
    return db.withHandle(h -> agents(h.createQuery(SELECT + " ORDER BY s.id")).list());
  }

  Optional<Agent> find(long sourceId) {
    return db.withHandle(h -> agents(h.createQuery(SELECT + " WHERE s.id = :s").bind("s", sourceId)).findOne());
  }

  /**
   * The agent whose protocol key was presented. Digests of every key are compared in constant time, and all of them
   * are, so neither the content of a key nor the position of its agent shows in the time taken.
   */
  Optional<Agent> byKey(String presented) {
    if (presented == null || presented.isEmpty()) {
      return Optional.empty();
    }
    byte[] wanted = sha256(presented);
    Agent match = null;
    for (Agent agent : all()) {
      if (MessageDigest.isEqual(wanted, sha256(agent.key())) && match == null) {
        match = agent;
      }
    }
    return Optional.ofNullable(match);
  }

  private ResultIterable<Agent> agents(Query query) {
    return query.map((rs, ctx) -> new Agent(rs.getLong("id"), rs.getString("name"), URI.create(rs.getString("url")),
        secrets.open(rs.getString("protocol_key"))));
  }

  private static URI endpoint(String raw) {
    if (raw == null || raw.isBlank()) {
      throw new Failure(ErrorCode.BAD_REQUEST, "an smshub source needs agentUrl, the agent's protocol endpoint, "
          + "e.g. https://bank.example.com:8443/smshub");
    }
    try {
      URI uri = new URI(raw.trim());
      boolean http = "https".equals(uri.getScheme()) || "http".equals(uri.getScheme());
      if (http && uri.getHost() != null && raw.trim().length() <= 1000) {
        return uri;
      }
    } catch (URISyntaxException e) {
      // refused below
    }
    throw new Failure(ErrorCode.BAD_REQUEST, "agentUrl must be an absolute http(s) URL of at most 1000 characters, "
        + "got '" + raw + "'");
  }

  private static String protocolKey(String key) {
    if (!key.matches("[\\x21-\\x7E]{1,200}")) {
      throw new Failure(ErrorCode.BAD_REQUEST, "agentKey must be 1-200 printable ASCII characters without spaces");
    }
    return key;
  }

  private static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
