package io.verigate.server.inbound.smshub;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.verigate.server.http.support.Json;
import io.verigate.server.inbound.InboundMessage;
import io.verigate.server.inbound.InboundPipeline;
import io.verigate.server.inbound.Receipt;
import io.verigate.server.inventory.NumberSources;
import io.verigate.server.inventory.PhoneNumbers;
import io.verigate.server.system.ErrorCode;
import io.verigate.server.system.Failure;
import java.io.IOException;
import java.time.Clock;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PUSH_SMS from SIM-bank agents: {@code POST /api/v1/inbound/smshub} with the protocol's JSON, gzip-compressed or
 * not. The protocol key in the body says which agent (number source) sent it. The answer is
 * {@code {"status":"SUCCESS"}} only once the message is committed, and again for a repeated {@code smsId}, which is
 * stored once; anything else is {@code {"status":"ERROR","error":"..."}}, after which the agent sends the SMS again
 * every 10 s, as the protocol has it.
 */
public final class PushSmsRoutes {
  private static final Logger log = LoggerFactory.getLogger(PushSmsRoutes.class);
  public static final String PATH = "/api/v1/inbound/smshub";
  /** A PUSH_SMS of the longest SMS text the journal keeps is a few kilobytes. */
  private static final int MAX_BODY_BYTES = 64 * 1024;

  private final SmsHubAgents agents;
  private final NumberSources sources;
  private final InboundPipeline pipeline;
  private final Clock clock;

  public PushSmsRoutes(SmsHubAgents agents, NumberSources sources, InboundPipeline pipeline, Clock clock) {
    this.agents = agents;
    this.sources = sources;
    this.pipeline = pipeline;
    this.clock = clock;
  }

  public void register(RoutesConfig routes) {
    routes.post(PATH, this::push);
  }

  private void push(Context ctx) {
    try {
      receive(ctx);
      ctx.json(Map.of("status", Protocol.SUCCESS));
    } catch (Failure refusal) {
      ctx.status(refusal.code().httpStatus()).json(Map.of("status", Protocol.ERROR, "error", refusal.getMessage()));
    } catch (RuntimeException e) {
      log.error("PUSH_SMS could not be stored", e);
      ctx.status(ErrorCode.INTERNAL.httpStatus())
          .json(Map.of("status", Protocol.ERROR, "error", "not stored; send it again"));
    }
  }

  private void receive(Context ctx) {
    JsonNode body = body(ctx);
    Agent agent = agents.byKey(Json.text(body, "key"))
        .orElseThrow(() -> new Failure(ErrorCode.BAD_KEY, "key is not the protocol key of an agent registered here"));
    try {
      Protocol.PushSms sms = Protocol.pushSms(body);
      String receiver = PhoneNumbers.parse(sms.phone()).map(PhoneNumbers.Parsed::e164)
          .orElseThrow(() -> new Failure(ErrorCode.BAD_REQUEST, "phone " + sms.phone() + " is not a number with its "
              + "country code"));
      // The protocol carries no time of receipt; agents push within seconds of it.
      Receipt receipt = pipeline.accept(new InboundMessage(agent.sourceId(), sms.smsId(), receiver, sms.phoneFrom(),
          sms.text(), clock.instant()));
      if (receipt.duplicate()) {
        sources.countDuplicate(agent.sourceId());
      }
    } catch (Failure refusal) {
      sources.recordRejection(agent.sourceId(), refusal.getMessage());
      throw refusal;
    }
  }

  private static JsonNode body(Context ctx) {
    byte[] raw = ctx.bodyAsBytes();
    try {
      byte[] json = Gzip.isCompressed(raw, ctx.header("Content-Encoding")) ? Gzip.decompress(raw, MAX_BODY_BYTES) : raw;
      JsonNode body = Json.MAPPER.readTree(json);
      if (body != null && body.isObject()) {
        return body;
      }
    } catch (IOException e) {
      // refused below
    }
    throw new Failure(ErrorCode.MALFORMED_JSON, "the body must be a JSON object, plain or gzip-compressed");
  }
}
