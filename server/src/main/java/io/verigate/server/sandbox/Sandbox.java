package io.verigate.server.sandbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.verigate.server.account.Mode;
import io.verigate.server.account.Principal;
import io.verigate.server.activation.Activation;
import io.verigate.server.activation.ActivationService;
import io.verigate.server.catalog.Catalog;
import io.verigate.server.catalog.TargetService;
import io.verigate.server.inbound.InboundMessage;
import io.verigate.server.inbound.InboundPipeline;
import io.verigate.server.inbound.Receipt;
import io.verigate.server.system.ErrorCode;
import io.verigate.server.system.EventLog;
import io.verigate.server.system.Failure;
import io.verigate.server.system.Outbox;
import io.verigate.server.system.Scheduler;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.jdbi.v3.core.Handle;

/**
 * The simulated supplier behind test-mode keys: a few seconds after a purchase (or a request for another
 * code) it "sends" a realistic message through the real inbound pipeline and code extractor, exactly as a
 * gateway would. Customers can also push any text of their own to their sandbox activations.
 *
 * <p>Each scheduled delivery is an outbox item enqueued in the transaction that bought the number (or asked for
 * another code), so it survives a restart; a timer of this node makes it due once its delay has passed, on time
 * rather than at the outbox's next look, and the item's own due time covers a restart. (A node whose clock a test
 * holds still thus still delivers after the delay.) Its message id is fixed when it is enqueued: a delivery sent
 * again after a crash is recognised by the inbound journal as the same message.
 */
public final class Sandbox {
  static final String DELIVERY = "sandbox.delivery";
  /** A delivery that fails (the database is away) is tried again a few times; the activation expires meanwhile. */
  private static final Outbox.RetryPolicy RETRIES = new Outbox.RetryPolicy(
      List.of(Duration.ofSeconds(2), Duration.ofSeconds(10), Duration.ofMinutes(1)), 0.2);
  private static final Set<String> CALLS_FOR_A_MESSAGE = Set.of("activation.created", "activation.resend");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final ActivationService activations;
  private final InboundPipeline pipeline;
  private final Catalog catalog;
  private final Outbox outbox;
  private final Scheduler scheduler;
  private final Clock clock;
  private final long sourceId;
  private final Duration delay;
  private final Duration slowDelay;

  public Sandbox(ActivationService activations, InboundPipeline pipeline, Catalog catalog, EventLog events,
      Outbox outbox, Scheduler scheduler, Clock clock, long sourceId, Duration delay, Duration slowDelay) {
    this.activations = activations;
    this.pipeline = pipeline;
    this.catalog = catalog;
    this.outbox = outbox;
    this.scheduler = scheduler;
    this.clock = clock;
    this.sourceId = sourceId;
    this.delay = delay;
    this.slowDelay = slowDelay;
    events.onAppend(EventLog.InTransaction.forEvents(Sandbox::callsForAMessage, this::scheduleDelivery));
    outbox.register(DELIVERY, RETRIES, this::send);
  }

  /** Delivers the customer's own text to one of their sandbox activations, through the real pipeline. */
  public Receipt deliver(Principal principal, int activationId, String from, String text) {
    if (principal.mode() != Mode.TEST) {
      throw new Failure(ErrorCode.FORBIDDEN, "sandbox deliveries need a test-mode key");
    }
    if (text == null || text.isBlank()) {
      throw new Failure(ErrorCode.BAD_REQUEST, "text is required");
    }
    Activation activation = activations.get(principal, activationId);
    String sender = from == null || from.isBlank() ? "Sandbox" : from.trim();
    return pipeline.accept(new InboundMessage(sourceId, "custom-" + UUID.randomUUID(), activation.phone(), sender, text,
        clock.instant()));
  }

  /** In the transaction of a sandbox purchase or resend: the message the simulated service will send. */
  private static boolean callsForAMessage(boolean test, String type) {
    return test && CALLS_FOR_A_MESSAGE.contains(type);
  }

  private void scheduleDelivery(Handle h, EventLog.Event event) {
    JsonNode activation = read(event.data());
    String operator = activation.path("operator").asText();
    if (SandboxMagic.NO_CODE.equals(operator)) {
      return;
    }
    String service = activation.path("service").asText();
    String name = catalog.service(service).map(TargetService::name).orElse(service);
    String[] message = SandboxMessages.forService(service, name);
    Duration wait = SandboxMagic.SLOW.equals(operator) ? slowDelay : delay;
    String payload = write(Map.of("messageId", "sim-" + UUID.randomUUID(), "to", activation.path("phone").asText(),
        "from", message[0], "text", message[1]));
    long item = outbox.enqueue(h, DELIVERY, payload, event.occurredAt().plus(wait));
    h.afterCommit(() -> scheduler.after(wait, "sandbox delivery " + item, () -> outbox.retryNow(item)));
  }

  private Outbox.Outcome send(Outbox.Item item) {
    JsonNode message = read(item.payload());
    pipeline.accept(new InboundMessage(sourceId, message.path("messageId").asText(), message.path("to").asText(),
        message.path("from").asText(), message.path("text").asText(), clock.instant()));
    return new Outbox.Done();
  }

  private static JsonNode read(String json) {
    try {
      return JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("not JSON: " + json, e);
    }
  }

  private static String write(Map<String, String> fields) {
    try {
      return JSON.writeValueAsString(fields);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
