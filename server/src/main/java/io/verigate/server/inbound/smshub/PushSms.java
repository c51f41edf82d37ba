package io.verigate.server.inbound.smshub;

import com.fasterxml.jackson.databind.JsonNode;
import io.verigate.server.inbound.InboundMessage;
import io.verigate.server.inbound.InboundPipeline;
import io.verigate.server.inbound.Receipt;
import io.verigate.server.inventory.NumberSources;
import io.verigate.server.inventory.PhoneNumbers;
import io.verigate.server.system.DatabaseUnavailable;
import io.verigate.server.system.ErrorCode;
import io.verigate.server.system.Failure;
import java.io.IOException;
import java.time.Clock;
import java.util.Map;

/**
 * PUSH_SMS from SIM-bank agents: the protocol's JSON, gzip-compressed or not, whose protocol key says which agent
 * (number source) sent it. A message is acknowledged ({@link #SUCCESS}) only once it is committed, and again for a
 * repeated {@code smsId}, which is stored once; anything else is {@link #ERROR}, after which the agent sends the SMS
 * again every 10 s, as the protocol has it. The HTTP route that carries it lives with the other gateway adapters.
 */
public final class PushSms {
  public static final String SUCCESS = Protocol.SUCCESS;
  public static final String ERROR = Protocol.ERROR;
  /** A PUSH_SMS of the longest SMS text the journal keeps is a few kilobytes. */
  static final int MAX_BODY_BYTES = 64 * 1024;

  private final SmsHubAgents agents;
  private final NumberSources sources;
  private final InboundPipeline pipeline;
  private final Clock clock;

  public PushSms(SmsHubAgents agents, NumberSources sources, InboundPipeline pipeline, Clock clock) {
    this.agents = agents;
    this.sources = sources;
    this.pipeline = pipeline;
    this.clock = clock;
  }

  /** The protocol's answer: {@code {"status":"SUCCESS"}}, or {@code {"status":"ERROR","error":...}}. */
  public static Map<String, String> answer(String error) {
    return error == null ? Map.of("status", SUCCESS) : Map.of("status", ERROR, "error", error);
  }

  /** Stores one pushed message, or refuses it (counted in the agent's health once the agent is known). */
  public void receive(byte[] raw, String contentEncoding) {
    JsonNode body = body(raw, contentEncoding);
    JsonNode key = body.get("key");
    Agent agent = agents.byKey(key == null || !key.isTextual() ? null : key.asText())
        .orElseThrow(() -> new Failure(ErrorCode.BAD_KEY, "key is not the protocol key of an agent registered here"));
    try {
      Protocol.PushSms sms = Protocol.pushSms(body);
      String receiver = PhoneNumbers.parse(sms.phone()).map(PhoneNumbers.Parsed::e164)
          .orElseThrow(() -> new Failure(ErrorCode.BAD_REQUEST, "phone " + sms.phone() + " is not a number with its "
              + "country code"));
      // The protocol carries no time of receipt; agents push within seconds of it.
      Receipt receipt = pipeline.accept(new InboundMessage(agent.sourceId(), sms.smsId(), receiver, sms.phoneFrom(),
          sms.text(), clock.instant()));
      if (receipt.rejected()) {
        throw InboundPipeline.rejection(receiver);
      }
      if (receipt.duplicate()) {
        sources.countDuplicate(agent.sourceId());
      }
    } catch (DatabaseUnavailable outage) {
      throw outage;
    } catch (Failure refusal) {
      sources.recordRejection(agent.sourceId(), refusal.getMessage());
      throw refusal;
    }
  }

  private static JsonNode body(byte[] raw, String contentEncoding) {
    try {
      byte[] json = Gzip.isCompressed(raw, contentEncoding) ? Gzip.decompress(raw, MAX_BODY_BYTES) : raw;
      JsonNode body = Protocol.JSON.readTree(json);
      if (body != null && body.isObject()) {
        return body;
      }
    } catch (IOException e) {
      // refused below
    }
    throw new Failure(ErrorCode.MALFORMED_JSON, "the body must be a JSON object, plain or gzip-compressed");
  }
}
