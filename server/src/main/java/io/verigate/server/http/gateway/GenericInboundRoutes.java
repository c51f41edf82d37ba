package io.verigate.server.http.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.verigate.server.http.support.Gate;
import io.verigate.server.http.support.Json;
import io.verigate.server.http.support.Requests;
import io.verigate.server.inbound.InboundMessage;
import io.verigate.server.inbound.InboundPipeline;
import io.verigate.server.inbound.Receipt;
import io.verigate.server.inventory.NumberSource;
import io.verigate.server.inventory.NumberSources;
import io.verigate.server.inventory.PhoneNumbers;
import io.verigate.server.system.ErrorCode;
import io.verigate.server.system.Failure;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The generic gateway push: {@code POST /api/v1/inbound/sms} with the source's token as Bearer and
 * {@code {"to", "from", "text", "receivedAt", "messageId"}}. Answers 200 only after the message is committed;
 * a repeat of the same messageId is acknowledged again without being stored twice. Repeats and refused
 * pushes of an authenticated source show in its health.
 */
public final class GenericInboundRoutes {
  private final Gate gate;
  private final NumberSources sources;
  private final WebhookIntake intake;
  private final Clock clock;

  public GenericInboundRoutes(Gate gate, NumberSources sources, InboundPipeline pipeline, Clock clock) {
    this.gate = gate;
    this.sources = sources;
    this.intake = new WebhookIntake(sources, pipeline);
    this.clock = clock;
  }

  public void register(RoutesConfig routes) {
    routes.post("/api/v1/inbound/sms", this::push);
  }

  private void push(Context ctx) {
    NumberSource source = gate.credential(ctx, Requests.bearer(ctx), sources::authenticate,
        "a valid number-source token is required as Bearer");
    intake.counted(source, () -> {
      JsonNode body = Json.body(ctx);
      String to = Json.text(body, "to");
      String receiver = PhoneNumbers.parse(to).map(PhoneNumbers.Parsed::e164)
          .orElseThrow(() -> new Failure(ErrorCode.BAD_REQUEST, "to must be a phone number, got '" + to + "'"));
      Receipt receipt = intake.deliver(new InboundMessage(source.id(), Json.text(body, "messageId"), receiver,
          Json.text(body, "from"), Json.text(body, "text"), receivedAt(Json.text(body, "receivedAt"))));
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("id", receipt.messageId());
      out.put("duplicate", receipt.duplicate());
      out.put("activationId", receipt.activationId());
      ctx.json(out);
    });
  }

  private Instant receivedAt(String value) {
    if (value == null || value.isBlank()) {
      return clock.instant();
    }
    try {
      return Instant.parse(value.trim());
    } catch (DateTimeParseException e) {
      throw new Failure(ErrorCode.BAD_REQUEST, "receivedAt must be an ISO-8601 instant such as 2026-11-27T10:15:30Z");
    }
  }
}
