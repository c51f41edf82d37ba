package io.verigate.server.inbound.smpp;

import io.verigate.server.inbound.InboundPipeline;
import io.verigate.server.inbound.Receipt;
import io.verigate.server.inventory.NumberSources;
import io.verigate.server.inventory.PhoneNumbers;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * From a deliver_sm to the inbound journal. An SMS that is not split goes straight through the pipeline; a part is
 * first committed to the part journal, and its message goes through the pipeline when its last part is in, or when
 * the sweep finds that waiting for the rest timed out.
 *
 * <p>Why nothing acknowledged is lost: {@link #accept} returns, and only then does the link send deliver_sm_resp,
 * after every write it made is committed. The resp for a part vouches that the part is in {@code smpp_part}, where it
 * stays until its message is committed to the journal. The last part journals the message on its own thread, before
 * its own resp; if the node dies in between, that part was not acknowledged and the SMSC sends it again, or the sweep
 * journals the waiting parts at their timeout. Journaling a message twice is harmless: the pipeline keeps one copy
 * per provider id, and the id is derived from the parts.
 */
final class SmppIntake {
  private static final Logger log = LoggerFactory.getLogger(SmppIntake.class);
  /** How long journaled parts are remembered, so that a part the SMSC resends after its message was journaled is recognised. */
  private static final Duration RESEND_MEMORY = Duration.ofDays(1);
  /** What the journal shows as the sender of an SMS whose source_addr is empty. */
  private static final String UNKNOWN_SENDER = "unknown";
  private static final int MAX_SENDER = 64;

  private final PartStore parts;
  private final InboundPipeline pipeline;
  private final NumberSources sources;
  private final Clock clock;

  SmppIntake(PartStore parts, InboundPipeline pipeline, NumberSources sources, Clock clock) {
    this.parts = parts;
    this.pipeline = pipeline;
    this.sources = sources;
    this.clock = clock;
  }

  /**
   * Journals one SMS, or stores one part and journals its message if that part completed it. Returns once all of it is
   * committed; false when the destination is no phone number, in which case nothing is stored and the refusal shows in
   * the source's health.
   */
  boolean accept(long sourceId, ShortMessage message, Duration reassembly) {
    Optional<PhoneNumbers.Parsed> receiver = PhoneNumbers.parse(message.destAddr());
    if (receiver.isEmpty()) {
      sources.recordRejection(sourceId, "deliver_sm to '" + message.destAddr() + "', which is not a phone number in "
          + "international format");
      return false;
    }
    Part part = Part.of(message, sender(message.sourceAddr()), receiver.get().e164(), clock.instant());
    if (message.segment().whole()) {
      journal(sourceId, PartGroup.of(List.of(part)));
      return true;
    }
    PartStore.Stored stored = parts.store(sourceId, part, reassembly);
    if (stored == PartStore.Stored.CLASHED) {
      // The sender reused the reference while a message under it still waits: that one is as whole as it will get.
      parts.waiting(sourceId, part.key()).ifPresent(earlier -> journal(sourceId, earlier));
      stored = parts.store(sourceId, part, reassembly);
      if (stored == PartStore.Stored.CLASHED) {
        throw new IllegalStateException("part " + part.number() + " of message " + part.key() + " clashed twice; "
            + "it is not stored, so the SMSC must send it again");
      }
    }
    if (stored == PartStore.Stored.REPEATED) {
      sources.countDuplicate(sourceId);
    }
    // Also after a repeat: the first copy of this part may have completed the message and died before journaling it.
    parts.waiting(sourceId, part.key()).filter(PartGroup::complete).ifPresent(whole -> journal(sourceId, whole));
    return true;
  }

  /**
   * Journals every message whose parts waited past their link's reassembly timeout, as far as it arrived, and forgets
   * journaled parts older than {@link #RESEND_MEMORY}. Run often: a code in a timed-out message waits for it.
   */
  void sweep() {
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

  /** Parts that all went into a message before are resends the SMSC made after missing their resps: not news. */
  private void journalOverdue(long sourceId, PartGroup group) {
    Optional<Long> earlier = parts.journaledBefore(sourceId, group);
    if (earlier.isPresent()) {
      parts.journaled(sourceId, group, earlier.get());
    } else {
      journal(sourceId, group);
    }
  }

  private void journal(long sourceId, PartGroup group) {
    Receipt receipt = pipeline.accept(group.message(sourceId));
    if (receipt.duplicate()) {
      sources.countDuplicate(sourceId);
    }
    if (group.total() > 1) {
      parts.journaled(sourceId, group, receipt.messageId());
    }
  }

  /** The source address as given; the journal needs a sender, so an empty one is named as unknown. */
  private static String sender(String sourceAddr) {
    if (sourceAddr == null || sourceAddr.isBlank()) {
      return UNKNOWN_SENDER;
    }
    String sender = sourceAddr.trim();
    return sender.length() > MAX_SENDER ? sender.substring(0, MAX_SENDER) : sender;
  }
}
