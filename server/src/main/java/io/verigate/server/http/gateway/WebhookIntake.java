package io.verigate.server.http.gateway;

import io.verigate.server.inbound.InboundMessage;
import io.verigate.server.inbound.InboundPipeline;
import io.verigate.server.inbound.Receipt;
import io.verigate.server.inventory.NumberSource;
import io.verigate.server.inventory.NumberSources;
import io.verigate.server.system.DatabaseUnavailable;
import io.verigate.server.system.ErrorCode;
import io.verigate.server.system.Failure;
import java.util.List;

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
    } catch (DatabaseUnavailable outage) {
      // Not the source's fault, and nothing could record it now: the gateway sees an error status and sends again.
      throw outage;
    } catch (Failure refusal) {
      sources.recordRejection(source.id(), refusal.getMessage());
      throw refusal;
    }
  }

  /** Hands one message on; refuses it, once it is journaled as rejected, when it went to another source's number. */
  Receipt deliver(InboundMessage message) {
    Receipt receipt = stored(message);
    if (receipt.rejected()) {
      throw InboundPipeline.rejection(message.receiver());
    }
    return receipt;
  }

  /**
   * Hands every message of a batch on, each committed on its own, and refuses the request only afterwards if any of
   * them went to another source's number: such a message must not keep the rest of its batch out. Returns how many
   * were repeats.
   */
  int deliverAll(List<InboundMessage> messages) {
    int duplicates = 0;
    InboundMessage rejected = null;
    for (InboundMessage message : messages) {
      Receipt receipt = stored(message);
      duplicates += receipt.duplicate() ? 1 : 0;
      rejected = receipt.rejected() ? message : rejected;
    }
    if (rejected != null) {
      throw InboundPipeline.rejection(rejected.receiver());
    }
    return duplicates;
  }

  /** A rejected message is counted as the refusal it is answered with, not as a repeat. */
  private Receipt stored(InboundMessage message) {
    Receipt receipt = pipeline.accept(message);
    if (receipt.duplicate() && !receipt.rejected()) {
      sources.countDuplicate(message.sourceId());
    }
    return receipt;
  }
}
