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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Webhooks of SMS Gateway for Android (capcom6/android-sms-gateway):
 * {@code POST /api/v1/inbound/android/{source}}, signed with the source's signing key. The phone does not say
 * which of its numbers received an SMS, only the SIM slot, so the source's SIM map names the number (see
 * {@link NumberSources#simNumber}). Answers 2xx only after every message of the request is committed; anything
 * else makes the phone retry with backoff for about two days, so a refused message is not lost while the
 * operator fixes the cause.
 */
public final class AndroidGatewayRoutes {
  private final WebhookIntake intake;
  private final NumberSources sources;
  private final AndroidGatewaySignature signature;
  private final Clock clock;

  public AndroidGatewayRoutes(NumberSources sources, InboundPipeline pipeline, Clock clock) {
    this.intake = new WebhookIntake(sources, pipeline);
    this.sources = sources;
    this.signature = new AndroidGatewaySignature(clock);
    this.clock = clock;
  }

  public void register(RoutesConfig routes) {
    routes.post("/api/v1/inbound/android/{source}", this::receive);
  }

  private void receive(Context ctx) {
    NumberSources.WebhookSource source = intake.source(ctx.pathParam("source"), NumberSource.ANDROID);
    intake.counted(source.source(), () -> {
      byte[] body = ctx.bodyAsBytes();
      signature.refusal(source.signingSecret(), body, ctx.header("X-Timestamp"), ctx.header("X-Signature"))
          .ifPresent(reason -> {
            throw new Failure(ErrorCode.BAD_KEY, reason);
          });
      AndroidWebhook webhook = AndroidWebhook.parse(body);
      // Every receiver is resolved before anything is stored, so a batch is refused whole or taken whole.
      List<InboundMessage> messages = new ArrayList<>();
      for (int i = 0; i < webhook.messages().size(); i++) {
        AndroidWebhook.Sms sms = webhook.messages().get(i);
        messages.add(new InboundMessage(source.source().id(), webhook.providerId(i), receiver(source.source(), sms),
            sms.sender(), sms.text(), sms.receivedAt() != null ? sms.receivedAt() : clock.instant()));
      }
      int duplicates = intake.deliverAll(messages);
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("event", webhook.event());
      out.put("stored", messages.size() - duplicates);
      out.put("duplicates", duplicates);
      ctx.json(out);
    });
  }

  /** The operator's SIM map first; the phone's own idea of its number only when the map has no answer. */
  private String receiver(NumberSource source, AndroidWebhook.Sms sms) {
    return sources.simNumber(source.id(), sms.simSlot())
        .or(() -> Optional.ofNullable(sms.recipient()).flatMap(PhoneNumbers::parse).map(PhoneNumbers.Parsed::e164))
        .orElseThrow(() -> new Failure(ErrorCode.BAD_REQUEST, "source " + source.name() + " has no number for SIM "
            + (sms.simSlot() == null ? "(slot not reported)" : sms.simSlot()) + "; map it with PATCH /admin/v1/sources/"
            + source.name() + " {\"sims\":{\"<slot>\":\"+<number>\"}}"));
  }
}
