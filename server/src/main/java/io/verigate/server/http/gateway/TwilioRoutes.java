package io.verigate.server.http.gateway;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.verigate.server.inbound.InboundMessage;
import io.verigate.server.inbound.InboundPipeline;
import io.verigate.server.inventory.NumberSource;
import io.verigate.server.inventory.NumberSources;
import io.verigate.server.inventory.PhoneNumbers;
import io.verigate.server.system.ErrorCode;
import io.verigate.server.system.Failure;
import java.time.Clock;

/**
 * Twilio inbound-message webhooks: {@code POST /api/v1/inbound/twilio/{source}}, form-encoded and signed with the
 * account's auth token over the public URL the operator entered in the Twilio console (the URL this node sees
 * behind a proxy may differ, so the configured one is what gets checked). Answers an empty TwiML
 * {@code <Response/>}, so Twilio sends no reply SMS, and only after the message is committed.
 */
public final class TwilioRoutes {
  static final String EMPTY_TWIML = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response/>";

  private final WebhookIntake intake;
  private final Clock clock;

  public TwilioRoutes(NumberSources sources, InboundPipeline pipeline, Clock clock) {
    this.intake = new WebhookIntake(sources, pipeline);
    this.clock = clock;
  }

  public void register(RoutesConfig routes) {
    routes.post("/api/v1/inbound/twilio/{source}", this::receive);
  }

  private void receive(Context ctx) {
    NumberSources.WebhookSource source = intake.source(ctx.pathParam("source"), NumberSource.TWILIO);
    intake.counted(source.source(), () -> {
      TwilioWebhook webhook = TwilioWebhook.parse(ctx.bodyAsBytes());
      if (!TwilioSignature.matches(source.signingSecret(), source.webhookUrl(), webhook.params(),
          ctx.header("X-Twilio-Signature"))) {
        throw new Failure(ErrorCode.BAD_KEY, "X-Twilio-Signature does not match: check the source's auth token and that "
            + "its webhookUrl is exactly the URL in the Twilio console");
      }
      if (webhook.isMessage()) {
        intake.deliver(message(source.source(), webhook));
      }
      ctx.contentType("text/xml").result(EMPTY_TWIML);
    });
  }

  private InboundMessage message(NumberSource source, TwilioWebhook webhook) {
    String to = webhook.required("To");
    String receiver = PhoneNumbers.parse(to).map(PhoneNumbers.Parsed::e164)
        .orElseThrow(() -> new Failure(ErrorCode.BAD_REQUEST, "To must be a phone number, got '" + to + "'"));
    // Twilio does not say when the message reached it; arrival here is within seconds of that.
    return new InboundMessage(source.id(), webhook.required("MessageSid"), receiver, webhook.required("From"),
        webhook.optional("Body"), clock.instant());
  }
}
