package io.verigate.server.inbound;

import io.verigate.server.account.ApiKeyFormat;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The parts of one message that have arrived, one of each number, in order: whole when every number up to the total
 * is there. What arrived is what gets journaled, when the message is whole or when waiting for the rest timed out.
 */
final class PartGroup {
  /** How long a resend of a message whose acknowledgement was lost is recognised as the same message. */
  static final Duration RESEND_WINDOW = Duration.ofMinutes(2);

  /** Stands where parts never arrived, so the reader of a timed-out message sees that text is missing and where. */
  static final String GAP = "…";

  private final List<Part> parts;

  private PartGroup(List<Part> parts) {
    this.parts = parts;
  }

  /** The first of each number, as a part sent twice is the same part. */
  static PartGroup of(List<Part> arrived) {
    if (arrived.isEmpty()) {
      throw new IllegalArgumentException("a message has at least one part");
    }
    Map<Integer, Part> byNumber = new TreeMap<>();
    arrived.forEach(part -> byNumber.putIfAbsent(part.number(), part));
    return new PartGroup(List.copyOf(byNumber.values()));
  }

  List<Part> parts() {
    return parts;
  }

  String key() {
    return parts.get(0).key();
  }

  int total() {
    return parts.get(0).total();
  }

  boolean complete() {
    return parts.size() == total();
  }

  /** The message as the pipeline journals it, received when its first part was. */
  InboundMessage message(long sourceId) {
    Part first = parts.get(0);
    Instant receivedAt = parts.stream().map(Part::receivedAt).min(Comparator.naturalOrder()).orElseThrow();
    return new InboundMessage(sourceId, providerId(), first.receiver(), first.sender(), text(), receivedAt);
  }

  /**
   * Bytes are joined before they are decoded, because a GSM escape or a UCS-2 surrogate pair may straddle two parts;
   * each run of consecutive parts is read by the data coding of its first part.
   */
  String text() {
    StringBuilder text = new StringBuilder();
    ByteArrayOutputStream run = new ByteArrayOutputStream();
    int runCoding = parts.get(0).dataCoding();
    int expected = 1;
    for (Part part : parts) {
      if (part.number() != expected) {
        text.append(SmsText.decode(runCoding, run.toByteArray())).append(GAP);
        run.reset();
      }
      if (run.size() == 0) {
        runCoding = part.dataCoding();
      }
      run.writeBytes(part.userData());
      expected = part.number() + 1;
    }
    text.append(SmsText.decode(runCoding, run.toByteArray()));
    return expected <= total() ? text.append(GAP).toString() : text.toString();
  }

  /**
   * SMPP gives an MO deliver_sm no id of its own (receipted_message_id belongs to delivery receipts, and vendors'
   * TLVs differ), yet an SMSC that saw no deliver_sm_resp sends the same message again under a new sequence number;
   * and a provider that does give each part an id (Vonage) gives none to the message they make. So the id is a hash
   * of what a resend repeats exactly: the message's key (scheme, reference, total, receiver, sender) and each part's
   * number, data coding and bytes, prefixed with the channel the parts came through. The price is that the same bytes
   * from the same sender to the same number, under the same reference, are one message: for one-time codes that
   * merges only a repeat of a code already delivered. A message journaled at its timeout and a part that arrives after
   * it differ in their parts, so in their ids. The id also names the two-minute window the first part was received
   * in: SMSCs resend within seconds, while a service may send the very same text again minutes later (a code resent
   * on request), which must reach the activation. A resend that straddles a window edge is stored twice, which
   * repeats a code but loses none.
   */
  String providerId() {
    long window = parts.stream().map(Part::receivedAt).min(Instant::compareTo).orElseThrow().getEpochSecond()
        / RESEND_WINDOW.toSeconds();
    StringBuilder content = new StringBuilder(key()).append('@').append(window);
    parts.forEach(part -> content.append('|').append(part.number()).append(':').append(part.dataCoding()).append(':')
        .append(part.payload()));
    return parts.get(0).channel() + ":" + ApiKeyFormat.sha256(content.toString()).substring(0, 40);
  }
}
