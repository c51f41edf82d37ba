package io.verigate.server.inbound;

import io.verigate.server.inventory.NumberSources;
import io.verigate.server.system.Database;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Long SMS whose parts arrive one by one, whatever the adapter (SMPP's concatenation headers and SAR parameters,
 * Vonage's concat fields), on their way to the inbound journal. A part is first committed to the part journal, and its
 * message goes through the pipeline when its last part is in, or when the sweep finds that waiting for the rest timed
 * out.
 *
 * <p>Why nothing acknowledged is lost: {@link #accept} returns, and only then does the adapter acknowledge the part
 * (deliver_sm_resp, HTTP 204), after every write it made is committed. The acknowledgement vouches that the part is in
 * {@code inbound_part}, where it stays until its message is committed to the journal. The last part journals the
 * message on its own thread, before its own acknowledgement; if the node dies in between, that part was not
 * acknowledged and its sender sends it again, or the sweep journals the waiting parts at their timeout. Journaling a
 * message twice is harmless: the pipeline keeps one copy per provider id, and the id is derived from the parts.
 */
public final class Reassembly {
  private static final Logger log = LoggerFactory.getLogger(Reassembly.class);
  /** How late past its timeout an incomplete message may be journaled. */
  public static final Duration SWEEP = Duration.ofSeconds(1);
  /** How long journaled parts are remembered, so that a part resent after its message was journaled is recognised. */
  private static final Duration RESEND_MEMORY = Duration.ofDays(1);

  private final PartStore parts;
  private final InboundPipeline pipeline;
  private final NumberSources sources;
  private final Clock clock;

  public Reassembly(Database database, InboundPipeline pipeline, NumberSources sources, Clock clock) {
    this.parts = new PartStore(database);
    this.pipeline = pipeline;
    this.sources = sources;
    this.clock = clock;
  }

  /**
   * Journals a part that is a whole SMS, or stores one part and journals its message if that part completed it; the
   * rest of a message is waited for {@code timeout} after its first part arrived. Returns once all of it is committed,
   * with the receipt of the message the part was or completed (empty while that message waits for more parts): a
   * rejected one is the adapter's to refuse and count.
   */
  public Optional<Receipt> accept(long sourceId, Part part, Duration timeout) {
    if (part.total() == 1) {
      return Optional.of(journal(sourceId, PartGroup.of(List.of(part))));
    }
    Instant expiresAt = clock.instant().plus(timeout);
    PartStore.Stored stored = parts.store(sourceId, part, expiresAt);
    if (stored == PartStore.Stored.CLASHED) {
      // The sender reused the reference while a message under it still waits: that one is as whole as it will get.
      parts.waiting(sourceId, part.key()).ifPresent(earlier -> journalUnasked(sourceId, earlier));
      stored = parts.store(sourceId, part, expiresAt);
      if (stored == PartStore.Stored.CLASHED) {
        throw new IllegalStateException("part " + part.number() + " of message " + part.key() + " clashed twice; "
            + "it is not stored, so its sender must send it again");
      }
    }
    if (stored == PartStore.Stored.REPEATED) {
      sources.countDuplicate(sourceId);
    }
    // Also after a repeat: the first copy of this part may have completed the message and died before journaling it.
    return parts.waiting(sourceId, part.key()).filter(PartGroup::complete).map(whole -> journal(sourceId, whole));
  }

  /**
   * Journals every message whose parts waited past their timeout, as far as it arrived, and forgets journaled parts
   * older than {@link #RESEND_MEMORY}. Run every {@link #SWEEP}: a code in a timed-out message waits for it.
   */
  public void sweep() {
    Instant now = clock.instant();
    for (PartStore.Overdue overdue : parts.overdue(now)) {
      try {
        parts.waiting(overdue.sourceId(), overdue.key()).ifPresent(group -> journalOverdue(overdue.sourceId(), group));
      } catch (RuntimeException e) {
        log.error("could not journal the overdue parts of message {} from source {}; retrying at the next sweep",
            overdue.key(), overdue.sourceId(), e);
      }
    }
    parts.forget(now.minus(RESEND_MEMORY));
  }

  /** Parts that all went into a message before are resends made after their acknowledgements were lost: not news. */
  private void journalOverdue(long sourceId, PartGroup group) {
    Optional<Long> earlier = parts.journaledBefore(sourceId, group);
    if (earlier.isPresent()) {
      parts.journaled(sourceId, group, earlier.get());
    } else {
      journalUnasked(sourceId, group);
    }
  }

  /**
   * Journals a message no sender's request is waiting on (timed out, or pushed aside by a reused reference), so no
   * adapter will refuse it: a rejection is counted in the source's health here.
   */
  private void journalUnasked(long sourceId, PartGroup group) {
    InboundMessage message = group.message(sourceId);
    Receipt receipt = journal(sourceId, group);
    if (receipt.rejected() && !receipt.duplicate()) {
      sources.recordRejection(sourceId, InboundPipeline.rejection(message.receiver()).getMessage());
    }
  }

  private Receipt journal(long sourceId, PartGroup group) {
    Receipt receipt = pipeline.accept(group.message(sourceId));
    if (receipt.duplicate() && !receipt.rejected()) {
      sources.countDuplicate(sourceId);
    }
    if (group.total() > 1) {
      parts.journaled(sourceId, group, receipt.messageId());
    }
    return receipt;
  }
}
