package io.verigate.server.notify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.verigate.server.system.Database;
import io.verigate.server.system.EventLog;
import io.verigate.server.system.Failure;
import io.verigate.server.system.Outbox;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jdbi.v3.core.Handle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns events into signed POSTs. In the transaction that appends an event it writes one delivery, and one outbox
 * item of kind {@value #KIND}, for each of the owner's endpoints that wants the event, so a committed event is always
 * delivered and a rolled-back one never is. The outbox then calls {@link #handle} until the receiver answers 2xx:
 * anything else, a redirect included (none is followed), is a failure retried on {@link #SCHEDULE}, sooner or later
 * as a {@code Retry-After} asks; a 410 disables the endpoint, and so does failing for {@link #DISABLE_AFTER}.
 */
public final class WebhookDispatcher implements EventLog.InTransaction, Outbox.Handler {
  public static final String KIND = "webhook";
  /** After the first attempt, at once: 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 14 h, 20 h, 24 h, each ±20 %. */
  public static final Outbox.RetryPolicy SCHEDULE = new Outbox.RetryPolicy(List.of(Duration.ofSeconds(5),
      Duration.ofMinutes(5), Duration.ofMinutes(30), Duration.ofHours(2), Duration.ofHours(5), Duration.ofHours(10),
      Duration.ofHours(14), Duration.ofHours(20), Duration.ofHours(24)), 0.2);
  /** An endpoint failing this long without one success is disabled rather than retried for ever. */
  static final Duration DISABLE_AFTER = Duration.ofDays(5);
  private static final Logger log = LoggerFactory.getLogger(WebhookDispatcher.class);
  private static final Pattern PAYLOAD = Pattern.compile("\\{\"delivery\":(\\d{1,18})}");
  /** The field of an activation event's data that holds its purchase's callback URL (see ActivationEvents). */
  static final String CALLBACK_URL = "callbackUrl";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Database db;
  private final Clock clock;
  private final Outbox outbox;
  private final EndpointStore endpoints;
  private final DeliveryLog deliveries;
  private final WebhookBody bodies;
  private final DeliveryAddresses addresses;

  WebhookDispatcher(Database db, Clock clock, Outbox outbox, EndpointStore endpoints, DeliveryLog deliveries,
      WebhookBody bodies, DeliveryAddresses addresses) {
    this.db = db;
    this.clock = clock;
    this.outbox = outbox;
    this.endpoints = endpoints;
    this.deliveries = deliveries;
    this.bodies = bodies;
    this.addresses = addresses;
  }

  @Override
  public void appended(Handle h, EventLog.Event event) {
    if (event.type().equals(EventTypes.TEST)) {
      return; // sent by Webhooks.test to one endpoint, whatever the filters say
    }
    List<Endpoint> owned = endpoints.cached(h, WebhookOwner.of(event.customerId(), event.test()));
    for (Endpoint endpoint : owned) {
      if (endpoint.wants(event.type())) {
        enqueue(h, endpoint, event);
      }
    }
    callbackUrl(event).ifPresent(url -> {
      Optional<Endpoint> signer = owned.stream().filter(Endpoint::enabled).findFirst();
      if (signer.isEmpty()) {
        log.warn("event {} of activation {} not posted to its callback URL: customer {} has no enabled webhook "
            + "endpoint to sign it", event.id(), event.activationId(), event.customerId());
        return;
      }
      send(h, deliveries.insert(h, signer.get().id(), event.id(), event.type(),
          bodies.of(event, WebhookFormat.STANDARD), url, clock.instant()));
    });
  }

  @Override
  public boolean listensTo(Handle h, long customerId, boolean test, String type) {
    return endpoints.cached(h, WebhookOwner.of(customerId, test)).stream().anyMatch(e -> e.wants(type));
  }

  /** A delivery of the event to the endpoint, sent as soon as the transaction commits. */
  long enqueue(Handle h, Endpoint endpoint, EventLog.Event event) {
    long id = deliveries.insert(h, endpoint.id(), event.id(), event.type(), bodies.of(event, endpoint.format()), null,
        clock.instant());
    send(h, id);
    return id;
  }

  /**
   * The callback URL the purchase gave, which its activation's events carry in their data: every event of that
   * activation goes there too, whatever the endpoints' filters.
   */
  private static Optional<String> callbackUrl(EventLog.Event event) {
    if (event.activationId() == null || !event.data().contains("\"" + CALLBACK_URL + "\"")) {
      return Optional.empty();
    }
    try {
      return Optional.ofNullable(JSON.readTree(event.data()).path(CALLBACK_URL).textValue());
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("event " + event.id() + " has no JSON data", e);
    }
  }

  /** Queues an attempt of the delivery now (again, for a replay). */
  void send(Handle h, long deliveryId) {
    outbox.enqueue(h, KIND, "{\"delivery\":" + deliveryId + "}", clock.instant());
  }

  @Override
  public Outbox.Outcome handle(Outbox.Item item) {
    long id = deliveryOf(item);
    Optional<DeliveryLog.Pending> pending = db.withHandle(h -> deliveries.pending(h, id));
    if (pending.isEmpty()) {
      return new Outbox.Dead("no delivery " + id);
    }
    Delivery delivery = pending.get().delivery();
    Optional<Endpoint> endpoint = db.withHandle(h -> endpoints.find(h, delivery.endpointId()));
    if (endpoint.isEmpty() || !endpoint.get().enabled()) {
      String reason = endpoint.isEmpty() ? "the endpoint was deleted" : "the endpoint is disabled";
      db.inTransaction(h -> {
        deliveries.abandon(h, id, reason);
        return null;
      });
      return new Outbox.Dead(reason);
    }
    // attempts counts this one: the first, then one after each delay of the schedule.
    boolean last = item.attempts() > SCHEDULE.delays().size();
    return attempt(endpoint.get(), delivery, pending.get().body(), pending.get().targetUrl(), last);
  }

  /**
   * One attempt, to the endpoint's URL or to a purchase's callback URL ({@code callback}, signed with the endpoint's
   * secrets). A callback URL that fails or answers 410 only ends its own deliveries: the endpoint stays as it is.
   */
  private Outbox.Outcome attempt(Endpoint endpoint, Delivery delivery, String body, String callback, boolean last) {
    Instant now = clock.instant();
    long started = System.nanoTime();
    WebhookPost.Answer answer;
    try {
      URI url = DeliveryAddresses.parse(callback != null ? callback : endpoint.url());
      InetAddress address = addresses.resolve(url);
      List<WebhookSecret> secrets = db.withHandle(h -> endpoints.signingSecrets(h, endpoint.id(), now));
      answer = WebhookPost.send(url, address, headers(delivery, secrets, now, body), body);
    } catch (Failure | IOException e) {
      String error = e instanceof Failure ? e.getMessage() : e.getClass().getSimpleName() + ": " + e.getMessage();
      return failed(endpoint, callback != null, delivery, now, null, null, null, error, null, last);
    }
    int latency = (int) Math.min(Integer.MAX_VALUE, (System.nanoTime() - started) / 1_000_000);
    int status = answer.status();
    if (status / 100 == 2) {
      db.inTransaction(h -> {
        deliveries.attempted(h, delivery.id(), Delivery.State.SUCCEEDED, now, status, latency, answer.excerpt(), null);
        if (callback == null) {
          endpoints.succeeded(h, endpoint.id());
        }
        return null;
      });
      return new Outbox.Done();
    }
    if (status == 410 && callback != null) {
      record(delivery, Delivery.State.FAILED, now, status, latency, answer.excerpt(), "410 Gone");
      return new Outbox.Dead("the callback URL answered 410 Gone");
    }
    if (status == 410) {
      disable(endpoint, "the endpoint answered 410 Gone");
      record(delivery, Delivery.State.FAILED, now, status, latency, answer.excerpt(), "410 Gone: endpoint disabled");
      return new Outbox.Dead("the endpoint answered 410 Gone and is disabled");
    }
    String error = status / 100 == 3 ? "HTTP " + status + " (redirects are not followed)" : "HTTP " + status;
    return failed(endpoint, callback != null, delivery, now, status, latency, answer.excerpt(), error,
        answer.retryAfter(), last);
  }

  private Outbox.Outcome failed(Endpoint endpoint, boolean callback, Delivery delivery, Instant now, Integer status,
      Integer latency, String excerpt, String error, Duration retryAfter, boolean last) {
    Instant failingSince = callback ? now : db.inTransaction(h -> endpoints.failed(h, endpoint.id(), now));
    if (Duration.between(failingSince, now).compareTo(DISABLE_AFTER) >= 0) {
      disable(endpoint, "failing since " + failingSince);
      record(delivery, Delivery.State.FAILED, now, status, latency, excerpt, error);
      return new Outbox.Dead(error + "; the endpoint has failed since " + failingSince + " and is disabled");
    }
    if (last) {
      record(delivery, Delivery.State.FAILED, now, status, latency, excerpt, error);
      return new Outbox.Dead(error + "; no retries left");
    }
    record(delivery, Delivery.State.PENDING, now, status, latency, excerpt, error);
    return new Outbox.Retry(retryAfter, error);
  }

  private void record(Delivery delivery, Delivery.State state, Instant at, Integer status, Integer latency,
      String excerpt, String error) {
    db.inTransaction(h -> {
      deliveries.attempted(h, delivery.id(), state, at, status, latency, excerpt, error);
      return null;
    });
  }

  private void disable(Endpoint endpoint, String reason) {
    log.warn("webhook endpoint {} of customer {} disabled: {}", endpoint.id(), endpoint.owner().customerId(), reason);
    db.inTransaction(h -> {
      endpoints.disable(h, endpoint.id(), reason);
      return null;
    });
    endpoints.changed(endpoint.owner());
  }

  /** The item's payload is {@code {"delivery":<id>}}, as {@link #send} writes it. */
  private static long deliveryOf(Outbox.Item item) {
    Matcher payload = PAYLOAD.matcher(item.payload());
    if (!payload.matches()) {
      throw new IllegalStateException("webhook outbox item " + item.id() + " has no delivery: " + item.payload());
    }
    return Long.parseLong(payload.group(1));
  }

  private static Map<String, String> headers(Delivery delivery, List<WebhookSecret> secrets, Instant now,
      String body) {
    long timestamp = now.getEpochSecond();
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("webhook-id", delivery.messageId());
    headers.put("webhook-timestamp", Long.toString(timestamp));
    headers.put("webhook-signature", WebhookSecret.header(secrets, delivery.messageId(), timestamp, body));
    return headers;
  }
}
