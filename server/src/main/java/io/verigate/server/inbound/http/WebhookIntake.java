package io.verigate.server.inbound.http;

import io.verigate.server.inbound.InboundMessage;
import io.verigate.server.inbound.InboundPipeline;
import io.verigate.server.inbound.Receipt;
import io.verigate.server.inventory.NumberSource;
import io.verigate.server.inventory.NumberSources;
import io.verigate.server.system.ErrorCode;
import io.verigate.server.system.Failure;

/**
 * What every HTTP ingestion adapter does around the pipeline: find the source a URL names, count repeats and
 * refusals in that source's health, and hand messages on. The adapter answers only after {@link #deliver}
 * returns, which is after the journal commit.
 */
final class WebhookIntake {
  private final NumberSources sources;
  private final InboundPipeline pipeline;

  WebhookIntake(NumberSources sources, InboundPipeline pipeline) {
    this.sources = sources;
    this.pipeline = pipeline;
  }

  /** The source named in the URL; one of another type is as unknown as a missing one. */
  NumberSources.WebhookSource source(String name, String type) {
    return sources.webhookSource(name, type)
        .orElseThrow(() -> new Failure(ErrorCode.NOT_FOUND, "no " + type + " source named " + name));
  }

  /** Handles one request for the source; a refusal is recorded against the source, then answered as usual. */
  void counted(NumberSource source, Runnable handling) {
    try {
      handling.run();
    } catch (Failure refusal) {
      sources.recordRejection(source.id(), refusal.getMessage());
      throw refusal;
    }
  }

  Receipt deliver(InboundMessage message) {
    Receipt receipt = pipeline.accept(message);
    if (receipt.duplicate()) {
      sources.countDuplicate(message.sourceId());
    }
    return receipt;
  }
}
