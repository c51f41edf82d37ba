package io.verigate.server.http.gateway;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.verigate.server.inbound.InboundMessage;
import io.verigate.server.inbound.InboundPipeline;
import io.verigate.server.inbound.Reassembly;
import io.verigate.server.inbound.Receipt;
import io.verigate.server.inbound.Segment;
import io.verigate.server.inventory.NumberSource;
import io.verigate.server.inventory.NumberSources;
import io.verigate.server.system.ErrorCode;
import io.verigate.server.system.Failure;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * The Vonage (Nexmo) SMS API's inbound-message webhook: {@code /api/v1/inbound/vonage/{source}}, called with GET or
 * with a form or JSON POST, as the account's settings say. Every request must carry a valid {@code sig}, made with the
 * source's signature secret; only a source without one whose operator set {@code allowUnsigned} takes requests
 * without. Vonage delivers each part of a long SMS as its own request, so parts go through the
 * core's {@link Reassembly}; a whole SMS goes straight to the journal under its {@code messageId}. Answers 204 only
 * after the message or part is committed: Vonage resends anything else for a day.
 */
public final class VonageRoutes {
  static final String PATH = "/api/v1/inbound/vonage/{source}";
  /**
   * How long the missing parts of a long message are waited for. Vonage forwards parts as the carrier hands them over,
   * seconds apart, and retries a part it could not deliver; a code in an incomplete message waits this long.
   */
  static final Duration REASSEMBLY = Duration.ofMinutes(1);

  private final WebhookIntake intake;
  private final Reassembly reassembly;
  private final VonageSignature signature;
  private final Clock clock;

  public VonageRoutes(NumberSources sources, InboundPipeline pipeline, Reassembly reassembly, Clock clock) {
    this.intake = new WebhookIntake(sources, pipeline);
    this.reassembly = reassembly;
    this.signature = new VonageSignature(clock);
    this.clock = clock;
  }

  public void register(RoutesConfig routes) {
    routes.get(PATH, this::receive);
    routes.post(PATH, this::receive);
  }

  private void receive(Context ctx) {
    NumberSources.WebhookSource source = intake.source(ctx.pathParam("source"), NumberSource.VONAGE);
    intake.counted(source.source(), () -> {
      VonageWebhook webhook = VonageWebhook.parse(ctx.queryString(), ctx.contentType(), ctx.bodyAsBytes());
      if (!source.takesUnsigned()) {
        if (source.signingSecret() == null) {
          throw new Failure(ErrorCode.BAD_KEY, "vonage source " + source.source().name() + " has no signatureSecret: "
              + "give it the account's, or set allowUnsigned to take unsigned webhooks");
        }
        signature.refusal(source.signingSecret(), source.signatureMethod(), webhook.params()).ifPresent(reason -> {
          throw new Failure(ErrorCode.BAD_KEY, reason);
        });
      }
      long sourceId = source.source().id();
      String receiver = webhook.receiver();
      Instant receivedAt = webhook.sentAt().orElseGet(clock::instant);
      Segment segment = webhook.segment();
      if (segment.whole()) {
        intake.deliver(new InboundMessage(sourceId, NumberSource.VONAGE + ":" + webhook.messageId(), receiver,
            webhook.sender(), webhook.text(), receivedAt));
      } else if (reassembly.accept(sourceId, webhook.part(segment, receiver, receivedAt), REASSEMBLY)
          .filter(Receipt::rejected).isPresent()) {
        throw InboundPipeline.rejection(receiver);
      }
      ctx.status(204);
    });
  }
}
