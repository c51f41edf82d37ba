package io.verigate.server.inventory;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.verigate.server.account.Actor;
import io.verigate.server.account.ApiKeyFormat;
import io.verigate.server.account.Audit;
import io.verigate.server.account.AuditAction;
import io.verigate.server.account.AuditEntry;
import io.verigate.server.system.Database;
import io.verigate.server.system.ErrorCode;
import io.verigate.server.system.Failure;
import io.verigate.server.system.Metrics;
import io.verigate.server.system.SecretBox;
import java.net.URI;
import java.net.URISyntaxException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.Update;

/**
 * Where numbers and their messages come from: each source's settings (webhook keys and URLs, SIM slots, SMPP links),
 * the push tokens its gateway authenticates with, and its delivery health. The secrets among the settings (signing
 * keys, auth tokens, signature secrets, SMPP passwords) are stored sealed under the master key ({@link SecretBox});
 * push tokens only as hashes.
 */
public final class NumberSources {
  private final Database db;
  private final Clock clock;
  private final SourceTraffic traffic;
  private final Audit audit;
  private final Metrics metrics;
  private final SecretBox secrets;
  private final Cache<String, Optional<NumberSource>> sourcesByToken = Caffeine.newBuilder()
      .expireAfterWrite(Duration.ofSeconds(30))
      .maximumSize(10_000)
      .build();
  /** Source names by id, for labelling every inbound message's metrics; a source keeps its name for good. */
  private final Cache<Long, String> names = Caffeine.newBuilder().maximumSize(10_000).build();

  public NumberSources(Database db, Clock clock, Audit audit, Metrics metrics, SecretBox secrets) {
    this.db = db;
    this.clock = clock;
    this.traffic = new SourceTraffic(db, clock);
    this.audit = audit;
    this.metrics = metrics;
    this.secrets = secrets;
  }

  /**
   * A new source, its push token and, for an Android source, the key its webhooks are signed with. Both are
   * shown once; only the token's hash is stored (the signing key is kept, because checking an HMAC needs it).
   */
  public record CreatedSource(NumberSource source, String token, String signingKey) {}

  /**
   * What an operator sets on a webhook source; a null field is left as it is. {@code signingSecret} is the
   * Android gateway's signing key, the Twilio auth token or the Vonage signature secret, {@code webhookUrl} the
   * public URL Twilio signs, {@code sims} maps each SIM slot of an Android phone to the number in it (the whole
   * map is replaced), {@code signatureMethod} is how Vonage signs (see {@link NumberSource#VONAGE_SIGNATURE_METHODS}),
   * and {@code allowUnsigned} lets a Vonage source without a signature secret take unsigned webhooks.
   */
  public record SourceSettings(String signingSecret, String webhookUrl, Map<Integer, String> sims,
      String signatureMethod, Boolean allowUnsigned) {
    public static final SourceSettings NONE = new SourceSettings(null, null, null, null, null);
  }

  /** A source as the operator sees it: its settings, never its secret, and its health. */
  public record SourceView(NumberSource source, boolean signingSecretSet, String webhookUrl, Map<Integer, String> sims,
      String signatureMethod, boolean allowUnsigned, NumberSource.Health health) {}

  /**
   * What a webhook adapter needs to check a request: the source, the key and URL its provider signs, and how; and
   * whether its operator let it take unsigned requests while it has no key.
   */
  public record WebhookSource(NumberSource source, String signingSecret, String webhookUrl, String signatureMethod,
      boolean allowUnsigned) {
    /** Whether a request without a signature is taken: only when there is no key to check one with, and allowed. */
    public boolean takesUnsigned() {
      return signingSecret == null && allowUnsigned;
    }
  }

  /**
   * How a source of type smpp binds to its SMSC as an ESME: the SMSC's address, the account's credentials and bind
   * type ({@code receiver} or {@code transceiver}), how often an idle link is probed with enquire_link, and how long
   * the missing parts of a long message are waited for. On a change, a null field is left as it is.
   */
  public record SmppSettings(String host, Integer port, String systemId, String password, String systemType,
      String bindType, Integer enquireLinkSeconds, Integer reassemblySeconds) {}

  /** An SMPP source with its complete settings: what its link binds with. */
  public record SmppLink(NumberSource source, SmppSettings settings) {}

  /** An SMPP link as the operator sees it: its settings without the password, and how its bind is doing. */
  public record SmppLinkView(String host, int port, String systemId, String systemType, String bindType,
      int enquireLinkSeconds, int reassemblySeconds, String linkState, Instant linkStateSince, long binds) {}

  /** A new source that needs no settings, such as a generic gateway or an SMSHub agent. */
  public CreatedSource create(Actor actor, String name, String type) {
    return create(actor, name, type, SourceSettings.NONE, null);
  }

  /**
   * A new source with its webhook settings, or for a source of type smpp the SMSC it binds to. An Android source
   * gets a generated signing key unless the operator brings the one its phone already uses; a Twilio source needs
   * the account's auth token and webhook URL.
   */
  public CreatedSource create(Actor actor, String name, String type, SourceSettings settings, SmppSettings smpp) {
    if (name == null || !name.matches("[A-Za-z0-9._-]{1,100}")) {
      throw new Failure(ErrorCode.BAD_REQUEST, "source name must be 1-100 letters, digits, '.', '_' or '-'");
    }
    String safeType = type == null || type.isBlank() ? "http" : type.trim().toLowerCase(Locale.ROOT);
    SourceSettings checked = checkedSettings(safeType, settings, true);
    SmppSettings link = checkedSmpp(safeType, smpp, true);
    String token = "vgs_" + ApiKeyFormat.random(40);
    long id = db.inTransaction(h -> {
      if (byName(h, name).isPresent()) {
        throw new Failure(ErrorCode.CONFLICT, "a source named " + name + " already exists");
      }
      long created = h.createUpdate("INSERT INTO number_source (name, type, token_hash, signing_secret, webhook_url, "
              + "signature_method, allow_unsigned, created_at) VALUES (:n, :t, :h, :secret, :url, :method, :unsigned, :c)")
          .bind("n", name).bind("t", safeType).bind("h", ApiKeyFormat.sha256(token))
          .bind("secret", secrets.seal(checked.signingSecret())).bind("url", checked.webhookUrl())
          .bind("method", checked.signatureMethod()).bind("unsigned", Boolean.TRUE.equals(checked.allowUnsigned()))
          .bind("c", OffsetDateTime.now(clock))
          .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
      if (checked.sims() != null) {
        replaceSims(h, created, checked.sims());
      }
      if (link != null) {
        insertSmppLink(h, created, link, secrets.seal(link.password()));
      }
      audit.record(h, new AuditEntry(actor, AuditAction.SOURCE_CREATED, auditSubject(name), Map.of("type", safeType)));
      return created;
    });
    String shownKey = NumberSource.ANDROID.equals(safeType) ? checked.signingSecret() : null;
    return new CreatedSource(new NumberSource(id, name, safeType), token, shownKey);
  }

  /**
   * Changes a source's webhook settings (rotating a key, moving a SIM) and, for an smpp source, its link's; the links
   * rebind on their own. Returns the source as it is now.
   */
  public SourceView configure(Actor actor, String name, SourceSettings changes, SmppSettings smppChanges) {
    db.inTransaction(h -> {
      NumberSource source = byName(h, name)
          .orElseThrow(() -> new Failure(ErrorCode.NOT_FOUND, "no number source named " + name));
      SourceSettings checked = checkedSettings(source.type(), changes, false);
      SmppSettings link = checkedSmpp(source.type(), smppChanges, false);
      List<String> changed = changedSettings(checked, link);
      recordChange(h, actor, name, changed, changedSecrets(source.type(), checked, link));
      if (checked.signingSecret() != null) {
        h.createUpdate("UPDATE number_source SET signing_secret = :secret WHERE id = :id")
            .bind("secret", secrets.seal(checked.signingSecret())).bind("id", source.id()).execute();
      }
      if (checked.webhookUrl() != null) {
        h.createUpdate("UPDATE number_source SET webhook_url = :url WHERE id = :id")
            .bind("url", checked.webhookUrl()).bind("id", source.id()).execute();
      }
      if (checked.sims() != null) {
        replaceSims(h, source.id(), checked.sims());
      }
      if (checked.signatureMethod() != null) {
        h.createUpdate("UPDATE number_source SET signature_method = :method WHERE id = :id")
            .bind("method", checked.signatureMethod()).bind("id", source.id()).execute();
      }
      if (checked.allowUnsigned() != null) {
        h.createUpdate("UPDATE number_source SET allow_unsigned = :unsigned WHERE id = :id")
            .bind("unsigned", checked.allowUnsigned()).bind("id", source.id()).execute();
      }
      if (link != null) {
        updateSmppLink(h, source.id(), link);
      }
      return source;
    });
    return view(name).orElseThrow();
  }

  /**
   * Records a change of the source's settings in the audit log: the settings that changed, and apart from them the
   * secrets that did (named, never shown), so that a search for secret changes finds every one.
   */
  public void recordChange(Handle h, Actor actor, String name, List<String> settings, List<String> secretNames) {
    if (!settings.isEmpty()) {
      audit.record(h, new AuditEntry(actor, AuditAction.SOURCE_CONFIGURED, auditSubject(name), Map.of("changed", settings)));
    }
    if (!secretNames.isEmpty()) {
      audit.record(h, new AuditEntry(actor, AuditAction.SOURCE_SECRET_CHANGED, auditSubject(name),
          Map.of("changed", secretNames)));
    }
  }

  /** How the audit log names a source. */
  static String auditSubject(String name) {
    return "source:" + name;
  }

  /** The settings a change gives that are no secret, as the admin API names them. */
  private static List<String> changedSettings(SourceSettings settings, SmppSettings smpp) {
    List<String> changed = new ArrayList<>();
    given(changed, "webhookUrl", settings.webhookUrl());
    given(changed, "sims", settings.sims());
    given(changed, "signatureMethod", settings.signatureMethod());
    given(changed, "allowUnsigned", settings.allowUnsigned());
    if (smpp != null) {
      given(changed, "host", smpp.host());
      given(changed, "port", smpp.port());
      given(changed, "systemId", smpp.systemId());
      given(changed, "systemType", smpp.systemType());
      given(changed, "bindType", smpp.bindType());
      given(changed, "enquireLinkSeconds", smpp.enquireLinkSeconds());
      given(changed, "reassemblySeconds", smpp.reassemblySeconds());
    }
    return changed;
  }

  private static void given(List<String> changed, String setting, Object value) {
    if (value != null) {
      changed.add(setting);
    }
  }

  /** The secrets a change gives, as the admin API names them for the source's type. */
  private static List<String> changedSecrets(String type, SourceSettings settings, SmppSettings smpp) {
    List<String> names = new ArrayList<>();
    if (settings.signingSecret() != null) {
      names.add(switch (type) {
        case NumberSource.TWILIO -> "authToken";
        case NumberSource.VONAGE -> "signatureSecret";
        default -> "signingKey";
      });
    }
    if (smpp != null && smpp.password() != null) {
      names.add("password");
    }
    return names;
  }

  /** A source with its settings and health; the message count and last message come from the journal. */
  public Optional<SourceView> view(String name) {
    return db.withHandle(h -> h.createQuery("SELECT id, name, type, signing_secret, webhook_url, signature_method, "
            + "allow_unsigned, duplicate_count, rejected_count, last_error, last_error_at FROM number_source WHERE name = :n")
        .bind("n", name)
        .map((rs, ctx) -> {
          OffsetDateTime lastErrorAt = rs.getObject("last_error_at", OffsetDateTime.class);
          return new SourceRow(new NumberSource(rs.getLong("id"), rs.getString("name"), rs.getString("type")),
              rs.getString("signing_secret") != null, rs.getString("webhook_url"), rs.getString("signature_method"),
              rs.getBoolean("allow_unsigned"), rs.getLong("duplicate_count"), rs.getLong("rejected_count"), rs.getString("last_error"),
              lastErrorAt == null ? null : lastErrorAt.toInstant());
        })
        .findOne()
        .map(row -> {
          JournalStats journal = journalStats(h, row.source().id());
          return new SourceView(row.source(), row.signingSecretSet(), row.webhookUrl(), sims(h, row.source().id()),
              row.signatureMethod(), row.allowUnsigned(), new NumberSource.Health(journal.lastMessageAt(), journal.messages(),
                  row.duplicates(), row.rejected(), row.lastError(), row.lastErrorAt()));
        }));
  }

  private record SourceRow(NumberSource source, boolean signingSecretSet, String webhookUrl, String signatureMethod,
      boolean allowUnsigned, long duplicates, long rejected, String lastError, Instant lastErrorAt) {}

  /** The source of this name and type with the key and URL its webhooks are signed with. */
  public Optional<WebhookSource> webhookSource(String name, String type) {
    return db.withHandle(h -> h.createQuery("SELECT id, name, type, signing_secret, webhook_url, signature_method, "
            + "allow_unsigned FROM number_source WHERE name = :n AND type = :t")
        .bind("n", name).bind("t", type)
        .map((rs, ctx) -> new WebhookSource(new NumberSource(rs.getLong("id"), rs.getString("name"), rs.getString("type")),
            secrets.open(rs.getString("signing_secret")), rs.getString("webhook_url"), rs.getString("signature_method"),
            rs.getBoolean("allow_unsigned")))
        .findOne());
  }

  /**
   * The number in this SIM slot of an Android source. A phone that reports no slot is taken to hold a single
   * SIM, so the source's only SIM number answers; with several SIMs the slot must say which one received.
   */
  public Optional<String> simNumber(long sourceId, Integer slot) {
    Map<Integer, String> sims = db.withHandle(h -> sims(h, sourceId));
    if (slot != null) {
      return Optional.ofNullable(sims.get(slot));
    }
    return sims.size() == 1 ? sims.values().stream().findFirst() : Optional.empty();
  }

  /** Every source of type smpp with the settings its link binds with. */
  public List<SmppLink> smppLinks() {
    return db.withHandle(h -> h.createQuery("SELECT s.id, s.name, s.type, l.host, l.port, l.system_id, l.password, "
            + "l.system_type, l.bind_type, l.enquire_link_seconds, l.reassembly_seconds "
            + "FROM smpp_link l JOIN number_source s ON s.id = l.source_id ORDER BY s.id")
        .map((rs, ctx) -> new SmppLink(new NumberSource(rs.getLong("id"), rs.getString("name"), rs.getString("type")),
            smppSettings(rs, secrets)))
        .list());
  }

  public Optional<SmppLinkView> smppLinkView(long sourceId) {
    return db.withHandle(h -> h.createQuery("SELECT host, port, system_id, system_type, bind_type, enquire_link_seconds, "
            + "reassembly_seconds, link_state, link_state_at, bind_count FROM smpp_link WHERE source_id = :s")
        .bind("s", sourceId)
        .map((rs, ctx) -> {
          OffsetDateTime since = rs.getObject("link_state_at", OffsetDateTime.class);
          return new SmppLinkView(rs.getString("host"), rs.getInt("port"), rs.getString("system_id"),
              rs.getString("system_type"), rs.getString("bind_type"), rs.getInt("enquire_link_seconds"),
              rs.getInt("reassembly_seconds"), rs.getString("link_state"), since == null ? null : since.toInstant(),
              rs.getLong("bind_count"));
        })
        .findOne());
  }

  /**
   * An SMPP link is {@code connecting}, {@code bound} or {@code down}; an error (a refused bind, a dropped link) is
   * kept as the source's last error without counting as a refused request.
   */
  public void recordLinkState(long sourceId, String state, String error) {
    OffsetDateTime now = OffsetDateTime.now(clock);
    db.inTransaction(h -> {
      h.createUpdate("UPDATE smpp_link SET link_state = :state, link_state_at = :t, bind_count = bind_count + :bound "
              + "WHERE source_id = :s")
          .bind("state", state).bind("t", now).bind("bound", "bound".equals(state) ? 1 : 0).bind("s", sourceId).execute();
      if (error != null) {
        h.createUpdate("UPDATE number_source SET last_error = :e, last_error_at = :t WHERE id = :s")
            .bind("e", error.length() > 500 ? error.substring(0, 500) : error).bind("t", now).bind("s", sourceId).execute();
      }
      return null;
    });
  }

  /** A source sent a message the journal already held: its sender retried, or replayed. */
  public void countDuplicate(long sourceId) {
    db.withHandle(h -> h.createUpdate("UPDATE number_source SET duplicate_count = duplicate_count + 1 WHERE id = :s")
        .bind("s", sourceId).execute());
  }

  /** A request naming this source was refused; the reason is kept for the operator's health view and counted. */
  public void recordRejection(long sourceId, String reason) {
    String shown = reason.length() > 500 ? reason.substring(0, 500) : reason;
    db.withHandle(h -> h.createUpdate("UPDATE number_source SET rejected_count = rejected_count + 1, last_error = :e, "
            + "last_error_at = :t WHERE id = :s")
        .bind("e", shown).bind("t", OffsetDateTime.now(clock)).bind("s", sourceId).execute());
    metrics.inbound(name(sourceId), Metrics.InboundOutcome.REJECTED);
    traffic.rejected(sourceId);
  }

  /** Each source's messages and refusals per day. */
  public SourceTraffic traffic() {
    return traffic;
  }

  /** The name of the source with this id, from memory after its first use. */
  public String name(long sourceId) {
    return names.get(sourceId, id -> db.withHandle(h -> h.createQuery("SELECT name FROM number_source WHERE id = :id")
        .bind("id", id).mapTo(String.class).one()));
  }

  /** The source with this name, created without a push token when missing (the sandbox's own source). */
  public NumberSource internal(String name, String type) {
    return db.inTransaction(h -> byName(h, name).orElseGet(() -> {
      long id = h.createUpdate("INSERT INTO number_source (name, type, created_at) VALUES (:n, :t, :c)")
          .bind("n", name).bind("t", type).bind("c", OffsetDateTime.now(clock))
          .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
      return new NumberSource(id, name, type);
    }));
  }

  /** The source of this name, whatever its type. */
  public Optional<NumberSource> named(String name) {
    return db.withHandle(h -> byName(h, name));
  }

  public List<NumberSource> all() {
    return db.withHandle(h -> h.createQuery("SELECT id, name, type FROM number_source ORDER BY id")
        .map((rs, ctx) -> new NumberSource(rs.getLong("id"), rs.getString("name"), rs.getString("type")))
        .list());
  }

  /** The source a push token belongs to; tokens are compared by hash. */
  public Optional<NumberSource> authenticate(String token) {
    if (token == null || !token.startsWith("vgs_")) {
      return Optional.empty();
    }
    // Every push presents the token, so it is looked up once and then served from memory; tokens never change.
    return sourcesByToken.get(ApiKeyFormat.sha256(token), hash -> db.withHandle(h -> h.createQuery(
            "SELECT id, name, type FROM number_source WHERE token_hash = :h")
        .bind("h", hash)
        .map((rs, ctx) -> new NumberSource(rs.getLong("id"), rs.getString("name"), rs.getString("type")))
        .findOne()));
  }

  /**
   * Refuses settings that do not fit the source's type and, on creation, fills in what the type needs: an
   * Android source without a key gets a generated one, a Twilio source must bring its token and URL, and a Vonage
   * source signs with md5hash unless told otherwise (its secret is optional, as Vonage signs only on request; without one
   * it takes unsigned webhooks only when allowUnsigned says so). Android gateways and Twilio always sign, so there is
   * nothing to allow for them.
   */
  private static SourceSettings checkedSettings(String type, SourceSettings settings, boolean creating) {
    boolean android = NumberSource.ANDROID.equals(type);
    boolean twilio = NumberSource.TWILIO.equals(type);
    boolean vonage = NumberSource.VONAGE.equals(type);
    String secret = settings.signingSecret();
    if (secret != null && !android && !twilio && !vonage) {
      throw new Failure(ErrorCode.BAD_REQUEST,
          "only android, twilio and vonage sources take a signing key, auth token or signature secret");
    }
    String method = signatureMethod(vonage, settings.signatureMethod(), creating);
    if (settings.webhookUrl() != null && !twilio) {
      throw new Failure(ErrorCode.BAD_REQUEST, "webhookUrl applies to twilio sources only");
    }
    if (settings.sims() != null && !android) {
      throw new Failure(ErrorCode.BAD_REQUEST, "sims apply to android sources only");
    }
    if (settings.allowUnsigned() != null && !vonage) {
      throw new Failure(ErrorCode.BAD_REQUEST, "allowUnsigned applies to vonage sources only: the others always sign");
    }
    if (secret != null && (secret.isBlank() || secret.length() > 200)) {
      throw new Failure(ErrorCode.BAD_REQUEST, "the signing key, auth token or signature secret must be 1-200 characters");
    }
    if (creating && android && secret == null) {
      secret = ApiKeyFormat.random(32);
    }
    if (creating && twilio && (secret == null || settings.webhookUrl() == null)) {
      throw new Failure(ErrorCode.BAD_REQUEST,
          "a twilio source needs the account's authToken and the webhookUrl entered in the Twilio console");
    }
    return new SourceSettings(secret, settings.webhookUrl() == null ? null : webhookUrl(settings.webhookUrl()),
        settings.sims() == null ? null : simNumbers(settings.sims()), method, settings.allowUnsigned());
  }

  /** How a vonage source's webhooks are signed: one of Vonage's methods, md5hash when a new source names none. */
  private static String signatureMethod(boolean vonage, String requested, boolean creating) {
    if (requested == null) {
      return creating && vonage ? NumberSource.VONAGE_SIGNATURE_METHODS.get(0) : null;
    }
    if (!vonage) {
      throw new Failure(ErrorCode.BAD_REQUEST, "signatureMethod applies to vonage sources only");
    }
    String method = requested.trim().toLowerCase(Locale.ROOT);
    if (!NumberSource.VONAGE_SIGNATURE_METHODS.contains(method)) {
      throw new Failure(ErrorCode.BAD_REQUEST, "signatureMethod must be one of " + NumberSource.VONAGE_SIGNATURE_METHODS);
    }
    return method;
  }

  private static final String PRINTABLE_ASCII = "[\\x20-\\x7E]";

  /**
   * Refuses link settings on a source that is not smpp, and malformed ones (SMPP 3.4 caps system_id at 15 characters,
   * the password at 8 and system_type at 12); on creation, requires the SMSC and account and fills in the defaults.
   */
  private static SmppSettings checkedSmpp(String type, SmppSettings smpp, boolean creating) {
    boolean isSmpp = NumberSource.SMPP.equals(type);
    if (smpp == null) {
      if (creating && isSmpp) {
        throw new Failure(ErrorCode.BAD_REQUEST, "an smpp source needs the SMSC's host and port and the systemId to bind with");
      }
      return null;
    }
    if (!isSmpp) {
      throw new Failure(ErrorCode.BAD_REQUEST, "host, port, systemId, password, systemType, bindType, enquireLinkSeconds "
          + "and reassemblySeconds apply to smpp sources only");
    }
    if (creating && (smpp.host() == null || smpp.port() == null || smpp.systemId() == null)) {
      throw new Failure(ErrorCode.BAD_REQUEST, "an smpp source needs the SMSC's host and port and the systemId to bind with");
    }
    String bindType = smpp.bindType() == null ? null : smpp.bindType().trim().toLowerCase(Locale.ROOT);
    check(smpp.host() == null || smpp.host().matches("[A-Za-z0-9._:-]{1,255}"), "host must be a host name or IP address");
    check(smpp.port() == null || (smpp.port() >= 1 && smpp.port() <= 65535), "port must be between 1 and 65535");
    check(smpp.systemId() == null || smpp.systemId().matches(PRINTABLE_ASCII + "{1,15}"), "systemId must be 1-15 ASCII characters");
    check(smpp.password() == null || smpp.password().matches(PRINTABLE_ASCII + "{0,8}"), "password must be at most 8 ASCII characters");
    check(smpp.systemType() == null || smpp.systemType().matches(PRINTABLE_ASCII + "{0,12}"),
        "systemType must be at most 12 ASCII characters");
    check(bindType == null || bindType.equals("receiver") || bindType.equals("transceiver"),
        "bindType must be receiver or transceiver");
    check(smpp.enquireLinkSeconds() == null || (smpp.enquireLinkSeconds() >= 1 && smpp.enquireLinkSeconds() <= 3600),
        "enquireLinkSeconds must be between 1 and 3600");
    check(smpp.reassemblySeconds() == null || (smpp.reassemblySeconds() >= 1 && smpp.reassemblySeconds() <= 3600),
        "reassemblySeconds must be between 1 and 3600");
    SmppSettings normalised = new SmppSettings(smpp.host(), smpp.port(), smpp.systemId(), smpp.password(), smpp.systemType(),
        bindType, smpp.enquireLinkSeconds(), smpp.reassemblySeconds());
    return creating ? merged(new SmppSettings(null, null, null, "", "", "receiver", 30, 60), normalised) : normalised;
  }

  private static void check(boolean valid, String refusal) {
    if (!valid) {
      throw new Failure(ErrorCode.BAD_REQUEST, refusal);
    }
  }

  /** The settings with every field the changes give replaced. */
  private static SmppSettings merged(SmppSettings current, SmppSettings changes) {
    return new SmppSettings(
        changes.host() != null ? changes.host() : current.host(),
        changes.port() != null ? changes.port() : current.port(),
        changes.systemId() != null ? changes.systemId() : current.systemId(),
        changes.password() != null ? changes.password() : current.password(),
        changes.systemType() != null ? changes.systemType() : current.systemType(),
        changes.bindType() != null ? changes.bindType() : current.bindType(),
        changes.enquireLinkSeconds() != null ? changes.enquireLinkSeconds() : current.enquireLinkSeconds(),
        changes.reassemblySeconds() != null ? changes.reassemblySeconds() : current.reassemblySeconds());
  }

  private static void insertSmppLink(Handle h, long sourceId, SmppSettings settings, String sealedPassword) {
    bindSmpp(h.createUpdate("INSERT INTO smpp_link (source_id, host, port, system_id, password, system_type, bind_type, "
        + "enquire_link_seconds, reassembly_seconds) VALUES (:s, :host, :port, :id, :pw, :st, :bt, :el, :ra)"), sourceId,
        settings, sealedPassword)
        .execute();
  }

  private void updateSmppLink(Handle h, long sourceId, SmppSettings changes) {
    SmppSettings current = h.createQuery("SELECT host, port, system_id, password, system_type, bind_type, "
            + "enquire_link_seconds, reassembly_seconds FROM smpp_link WHERE source_id = :s FOR UPDATE")
        .bind("s", sourceId)
        .map((rs, ctx) -> smppSettings(rs, secrets))
        .one();
    SmppSettings changed = merged(current, changes);
    bindSmpp(h.createUpdate("UPDATE smpp_link SET host = :host, port = :port, system_id = :id, password = :pw, "
        + "system_type = :st, bind_type = :bt, enquire_link_seconds = :el, reassembly_seconds = :ra WHERE source_id = :s"),
        sourceId, changed, secrets.seal(changed.password()))
        .execute();
  }

  private static Update bindSmpp(Update update, long sourceId, SmppSettings s, String sealedPassword) {
    return update.bind("s", sourceId).bind("host", s.host()).bind("port", s.port()).bind("id", s.systemId())
        .bind("pw", sealedPassword).bind("st", s.systemType()).bind("bt", s.bindType())
        .bind("el", s.enquireLinkSeconds()).bind("ra", s.reassemblySeconds());
  }

  private static SmppSettings smppSettings(ResultSet rs, SecretBox secrets) throws SQLException {
    return new SmppSettings(rs.getString("host"), rs.getInt("port"), rs.getString("system_id"),
        secrets.open(rs.getString("password")),
        rs.getString("system_type"), rs.getString("bind_type"), rs.getInt("enquire_link_seconds"),
        rs.getInt("reassembly_seconds"));
  }

  private static String webhookUrl(String raw) {
    String url = raw.trim();
    try {
      URI uri = new URI(url);
      boolean http = "https".equals(uri.getScheme()) || "http".equals(uri.getScheme());
      if (http && uri.getHost() != null && url.length() <= 1000) {
        return url;
      }
    } catch (URISyntaxException e) {
      // refused below
    }
    throw new Failure(ErrorCode.BAD_REQUEST, "webhookUrl must be the absolute http(s) URL entered in the Twilio console, "
        + "e.g. https://sms.example.com/api/v1/inbound/twilio/my-source; got '" + raw + "'");
  }

  private static Map<Integer, String> simNumbers(Map<Integer, String> raw) {
    Map<Integer, String> numbers = new TreeMap<>();
    raw.forEach((slot, number) -> {
      if (slot == null || slot < 0 || slot > 99) {
        throw new Failure(ErrorCode.BAD_REQUEST, "a SIM slot is a number from 0 to 99, as the gateway reports it");
      }
      numbers.put(slot, PhoneNumbers.parse(number).map(PhoneNumbers.Parsed::e164).orElseThrow(
          () -> new Failure(ErrorCode.BAD_REQUEST, "SIM " + slot + ": '" + number + "' is not a phone number")));
    });
    return numbers;
  }

  private static void replaceSims(Handle h, long sourceId, Map<Integer, String> sims) {
    h.createUpdate("DELETE FROM source_sim WHERE source_id = :s").bind("s", sourceId).execute();
    sims.forEach((slot, e164) -> h.createUpdate("INSERT INTO source_sim (source_id, sim_slot, e164) VALUES (:s, :slot, :e)")
        .bind("s", sourceId).bind("slot", slot).bind("e", e164).execute());
  }

  private static Map<Integer, String> sims(Handle h, long sourceId) {
    return h.createQuery("SELECT sim_slot, e164 FROM source_sim WHERE source_id = :s ORDER BY sim_slot")
        .bind("s", sourceId)
        .reduceRows(new TreeMap<Integer, String>(), (acc, row) -> {
          acc.put(row.getColumn("sim_slot", Integer.class), row.getColumn("e164", String.class));
          return acc;
        });
  }

  private record JournalStats(long messages, Instant lastMessageAt) {}

  /** Counted from the inbound journal itself, whose (source, provider id) index serves this per-source scan. */
  private static JournalStats journalStats(Handle h, long sourceId) {
    return h.createQuery("SELECT COUNT(*) AS n, MAX(stored_at) AS last_at FROM inbound_message WHERE source_id = :s")
        .bind("s", sourceId)
        .map((rs, ctx) -> {
          OffsetDateTime last = rs.getObject("last_at", OffsetDateTime.class);
          return new JournalStats(rs.getLong("n"), last == null ? null : last.toInstant());
        })
        .one();
  }

  /** The source of this name, read in the caller's transaction. */
  static Optional<NumberSource> byName(Handle h, String name) {
    return h.createQuery("SELECT id, name, type FROM number_source WHERE name = :n")
        .bind("n", name)
        .map((rs, ctx) -> new NumberSource(rs.getLong("id"), rs.getString("name"), rs.getString("type")))
        .findOne();
  }
}
