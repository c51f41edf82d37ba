package io.verigate.server.notify;

import io.verigate.server.account.Actor;
import io.verigate.server.account.Audit;
import io.verigate.server.account.AuditAction;
import io.verigate.server.account.AuditEntry;
import io.verigate.server.catalog.Catalog;
import io.verigate.server.system.Database;
import io.verigate.server.system.ErrorCode;
import io.verigate.server.system.EventLog;
import io.verigate.server.system.Failure;
import io.verigate.server.system.NodeEvents;
import io.verigate.server.system.Outbox;
import io.verigate.server.system.SecretBox;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;

/**
 * A customer's webhook endpoints: registered per mode, each with its own signing secret (shown once, at creation and
 * at each rotation), an event filter, a body format, and a log of its deliveries. The customer's API and the
 * operator's go through here alike; an endpoint of another owner is not found.
 */
public final class Webhooks {
  /** Endpoints one customer may have per mode: enough for every environment, few enough to bound an event's fan-out. */
  public static final int MAX_ENDPOINTS = 20;
  /** A rotated secret keeps signing this long unless the request says otherwise: a day, time for any deploy. */
  public static final Duration DEFAULT_OVERLAP = Duration.ofDays(1);
  public static final Duration MAX_OVERLAP = Duration.ofDays(30);

  /** What a customer asks for; an empty {@code eventTypes} means every type. */
  public record NewEndpoint(String url, List<String> eventTypes, WebhookFormat format) {}

  /** A change to an endpoint: each null field is kept. Enabling one the node disabled clears its reason. */
  public record Change(String url, List<String> eventTypes, WebhookFormat format, Boolean enabled) {}

  /** An endpoint with its secret, the one time it is shown. */
  public record WithSecret(Endpoint endpoint, String secret) {}

  private final Database db;
  private final Clock clock;
  private final EventLog events;
  private final EndpointStore endpoints;
  private final DeliveryLog deliveries = new DeliveryLog();
  private final DeliveryAddresses addresses;
  private final WebhookDispatcher dispatcher;
  private final Audit audit;

  /** Registers the delivery of every appended event, and its outbox kind, on this node. */
  public Webhooks(Database db, Clock clock, EventLog events, Outbox outbox, NodeEvents nodeEvents, SecretBox secrets,
      Catalog catalog, boolean allowPrivate, Audit audit) {
    this.audit = audit;
    this.db = db;
    this.clock = clock;
    this.events = events;
    this.endpoints = new EndpointStore(secrets, nodeEvents);
    this.addresses = new DeliveryAddresses(allowPrivate);
    this.dispatcher = new WebhookDispatcher(db, clock, outbox, endpoints, deliveries, new WebhookBody(catalog),
        addresses);
    events.onAppend(dispatcher);
    outbox.register(WebhookDispatcher.KIND, WebhookDispatcher.SCHEDULE, dispatcher);
  }

  public List<Endpoint> list(WebhookOwner owner) {
    return db.withHandle(h -> endpoints.list(h, owner));
  }

  /** The owner of one of a customer's endpoints, whichever its mode: the operator names only the customer. */
  public WebhookOwner ownerOf(long customerId, long id) {
    return db.withHandle(h -> endpoints.find(h, id)).filter(e -> e.owner().customerId() == customerId)
        .orElseThrow(() -> new Failure(ErrorCode.NOT_FOUND, "no webhook " + id)).owner();
  }

  public Endpoint get(WebhookOwner owner, long id) {
    return db.withHandle(h -> owned(h, owner, id));
  }

  /** Registers an endpoint; the audit log records who did it (never its secret). */
  public WithSecret create(Actor actor, WebhookOwner owner, NewEndpoint spec) {
    String url = checkedUrl(spec.url());
    List<String> types = new ArrayList<>(EventTypes.filter(spec.eventTypes()));
    WebhookSecret secret = WebhookSecret.generate();
    Endpoint created = db.inTransaction(h -> {
      if (endpoints.list(h, owner).size() >= MAX_ENDPOINTS) {
        throw new Failure(ErrorCode.CONFLICT, "at most " + MAX_ENDPOINTS + " webhook endpoints per customer and mode");
      }
      long id = endpoints.insert(h, owner, url, types, spec.format(), secret, clock.instant());
      Endpoint endpoint = endpoints.find(h, id).orElseThrow();
      audited(h, actor, AuditAction.WEBHOOK_CREATED, endpoint, Map.of("host", URI.create(url).getHost(),
          "eventTypes", types, "format", spec.format().wireName()));
      return endpoint;
    });
    endpoints.changed(owner);
    return new WithSecret(created, secret.text());
  }

  public Endpoint update(Actor actor, WebhookOwner owner, long id, Change change) {
    String url = change.url() == null ? null : checkedUrl(change.url());
    Endpoint updated = db.inTransaction(h -> {
      Endpoint current = owned(h, owner, id);
      boolean enabled = change.enabled() == null ? current.enabled() : change.enabled();
      Endpoint next = new Endpoint(id, owner, url == null ? current.url() : url,
          change.eventTypes() == null ? current.eventTypes() : EventTypes.filter(change.eventTypes()),
          change.format() == null ? current.format() : change.format(), enabled,
          enabled ? null : current.disabledReason(), current.previousSecretUntil(),
          enabled && !current.enabled() ? null : current.failingSince(), current.createdAt());
      endpoints.update(h, next);
      Map<String, Object> changed = new LinkedHashMap<>();
      if (url != null) {
        changed.put("host", URI.create(url).getHost());
      }
      if (change.eventTypes() != null) {
        changed.put("eventTypes", List.copyOf(next.eventTypes()));
      }
      if (change.format() != null) {
        changed.put("format", next.format().wireName());
      }
      if (change.enabled() != null) {
        changed.put("enabled", enabled);
      }
      audited(h, actor, AuditAction.WEBHOOK_CHANGED, next, changed);
      return endpoints.find(h, id).orElseThrow();
    });
    endpoints.changed(owner);
    return updated;
  }

  public void delete(Actor actor, WebhookOwner owner, long id) {
    db.inTransaction(h -> {
      Endpoint deleted = owned(h, owner, id);
      endpoints.delete(h, id);
      audited(h, actor, AuditAction.WEBHOOK_DELETED, deleted, Map.of());
      return null;
    });
    endpoints.changed(owner);
  }

  /** A new secret, shown this once; the old one goes on signing (a second signature) for {@code overlap}. */
  public WithSecret rotateSecret(Actor actor, WebhookOwner owner, long id, Duration overlap) {
    if (overlap.isNegative() || overlap.compareTo(MAX_OVERLAP) > 0) {
      throw new Failure(ErrorCode.BAD_REQUEST, "overlapSeconds must be between 0 and " + MAX_OVERLAP.toSeconds());
    }
    WebhookSecret next = WebhookSecret.generate();
    Instant now = clock.instant();
    Endpoint rotated = db.inTransaction(h -> {
      Endpoint current = owned(h, owner, id);
      endpoints.rotate(h, id, next, now.plus(overlap), now);
      audited(h, actor, AuditAction.WEBHOOK_SECRET_ROTATED, current, Map.of("overlapSeconds", overlap.toSeconds()));
      return endpoints.find(h, id).orElseThrow();
    });
    return new WithSecret(rotated, next.text());
  }

  /** Sends a {@value EventTypes#TEST} event to this endpoint alone, whatever its filter: the delivery. */
  public Delivery test(WebhookOwner owner, long id) {
    return db.inTransaction(h -> {
      Endpoint endpoint = enabled(owned(h, owner, id));
      EventLog.Event event = events.append(h, owner.customerId(), owner.test(), EventTypes.TEST, null,
          Map.of("webhookId", id, "message", "a test event, sent on request"));
      long delivery = dispatcher.enqueue(h, endpoint, event);
      return deliveries.find(h, id, delivery).orElseThrow();
    });
  }

  /** The endpoint's deliveries, newest first, with ids below {@code beforeId}. */
  public List<Delivery> deliveries(WebhookOwner owner, long id, long beforeId, int limit) {
    return db.withHandle(h -> {
      owned(h, owner, id);
      return deliveries.page(h, id, beforeId, limit);
    });
  }

  /** Sends a delivery again, the same body under the same {@code webhook-id}, whatever became of it. */
  public Delivery replay(WebhookOwner owner, long id, long deliveryId) {
    return db.inTransaction(h -> {
      enabled(owned(h, owner, id));
      deliveries.find(h, id, deliveryId).orElseThrow(() -> new Failure(ErrorCode.NOT_FOUND,
          "no delivery " + deliveryId + " of webhook " + id));
      deliveries.reopen(h, deliveryId);
      dispatcher.send(h, deliveryId);
      return deliveries.find(h, id, deliveryId).orElseThrow();
    });
  }

  /** Deletes deliveries that ended (succeeded or failed) before {@code cutoff}, as the event log ages out; how many. */
  public int purgeFinishedOlderThan(Instant cutoff) {
    return db.inTransaction(h -> deliveries.purgeFinishedOlderThan(h, cutoff));
  }

  /**
   * A purchase's callback URL, checked as an endpoint's is, before the purchase (the check resolves the host): its
   * activation's events are posted there, signed with the secret of the owner's first enabled endpoint, which must
   * therefore exist.
   */
  public String checkedCallbackUrl(WebhookOwner owner, String url) {
    String checked = checkedUrl(url);
    if (db.withHandle(h -> endpoints.list(h, owner)).stream().noneMatch(Endpoint::enabled)) {
      throw new Failure(ErrorCode.CONFLICT, "a callbackUrl is signed with the secret of your first enabled webhook "
          + "endpoint; create one first (POST /api/v1/webhooks)");
    }
    return checked;
  }

  /** An audit entry about an endpoint: the customer is its subject, the endpoint and its mode part of the detail. */
  private void audited(Handle h, Actor actor, AuditAction action, Endpoint endpoint, Map<String, ?> detail) {
    Map<String, Object> all = new LinkedHashMap<>(detail);
    all.put("webhookId", endpoint.id());
    all.put("mode", endpoint.owner().mode().sqlName());
    audit.record(h, new AuditEntry(actor, action, "customer:" + endpoint.owner().customerId(), all));
  }

  private String checkedUrl(String url) {
    URI parsed = DeliveryAddresses.parse(url);
    addresses.resolve(parsed);
    return parsed.toString();
  }

  private Endpoint owned(Handle h, WebhookOwner owner, long id) {
    return endpoints.find(h, id).filter(e -> e.owner().equals(owner))
        .orElseThrow(() -> new Failure(ErrorCode.NOT_FOUND, "no webhook " + id));
  }

  private static Endpoint enabled(Endpoint endpoint) {
    if (!endpoint.enabled()) {
      throw new Failure(ErrorCode.CONFLICT, "webhook " + endpoint.id() + " is disabled"
          + (endpoint.disabledReason() == null ? "" : " (" + endpoint.disabledReason() + ")") + "; enable it first");
    }
    return endpoint;
  }
}
