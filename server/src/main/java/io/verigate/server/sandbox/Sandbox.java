package io.verigate.server.sandbox;

import io.verigate.server.account.Mode;
import io.verigate.server.account.Principal;
import io.verigate.server.activation.Activation;
import io.verigate.server.activation.ActivationListener;
import io.verigate.server.activation.ActivationService;
import io.verigate.server.catalog.Catalog;
import io.verigate.server.catalog.TargetService;
import io.verigate.server.inbound.InboundMessage;
import io.verigate.server.inbound.InboundPipeline;
import io.verigate.server.inbound.Receipt;
import io.verigate.server.system.ErrorCode;
import io.verigate.server.system.Failure;
import io.verigate.server.system.Scheduler;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;

/**
 * The simulated supplier behind test-mode keys: a few seconds after a purchase (or a request for another
 * code) it "sends" a realistic message through the real inbound pipeline and code extractor, exactly as a
 * gateway would. Customers can also push any text of their own to their sandbox activations.
 *
 * <p>Scheduled deliveries live in memory: a restart forgets them, and those activations expire (refunded)
 * like any activation whose code never came.
 */
public final class Sandbox implements ActivationListener {
  private final ActivationService activations;
  private final InboundPipeline pipeline;
  private final Catalog catalog;
  private final Scheduler scheduler;
  private final Clock clock;
  private final long sourceId;
  private final Duration delay;
  private final Duration slowDelay;

  public Sandbox(ActivationService activations, InboundPipeline pipeline, Catalog catalog, Scheduler scheduler,
      Clock clock, long sourceId, Duration delay, Duration slowDelay) {
    this.activations = activations;
    this.pipeline = pipeline;
    this.catalog = catalog;
    this.scheduler = scheduler;
    this.clock = clock;
    this.sourceId = sourceId;
    this.delay = delay;
    this.slowDelay = slowDelay;
  }

  @Override
  public void purchased(Activation activation) {
    scheduleDelivery(activation);
  }

  @Override
  public void anotherCodeRequested(Activation activation) {
    scheduleDelivery(activation);
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

  private void scheduleDelivery(Activation activation) {
    if (activation.mode() != Mode.TEST || SandboxMagic.NO_CODE.equals(activation.operator())) {
      return;
    }
    Duration wait = SandboxMagic.SLOW.equals(activation.operator()) ? slowDelay : delay;
    String name = catalog.service(activation.service()).map(TargetService::name).orElse(activation.service());
    String[] message = SandboxMessages.forService(activation.service(), name);
    scheduler.after(wait, "sandbox delivery for activation " + activation.id(), () ->
        pipeline.accept(new InboundMessage(sourceId, "sim-" + UUID.randomUUID(), activation.phone(), message[0],
            message[1], clock.instant())));
  }
}
