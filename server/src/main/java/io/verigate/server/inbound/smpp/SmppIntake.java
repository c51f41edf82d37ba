package io.verigate.server.inbound.smpp;

import io.verigate.server.inbound.Part;
import io.verigate.server.inbound.Reassembly;
import io.verigate.server.inventory.NumberSource;
import io.verigate.server.inventory.NumberSources;
import io.verigate.server.inventory.PhoneNumbers;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * From a deliver_sm to the inbound journal, through the core's {@link Reassembly}: an SMS that is not split goes
 * straight through, a part waits for the rest of its message. The link sends deliver_sm_resp only after
 * {@link #accept} returns, which is after every write it made is committed.
 */
final class SmppIntake {
  /** What the journal shows as the sender of an SMS whose source_addr is empty. */
  private static final String UNKNOWN_SENDER = "unknown";
  private static final int MAX_SENDER = 64;

  private final Reassembly reassembly;
  private final NumberSources sources;
  private final Clock clock;

  SmppIntake(Reassembly reassembly, NumberSources sources, Clock clock) {
    this.reassembly = reassembly;
    this.sources = sources;
    this.clock = clock;
  }

  /**
   * Journals one SMS, or stores one part and journals its message if that part completed it. Returns once all of it is
   * committed; false when the destination is no phone number, in which case nothing is stored and the refusal shows in
   * the source's health.
   */
  boolean accept(long sourceId, ShortMessage message, Duration reassemblyTimeout) {
    Optional<PhoneNumbers.Parsed> receiver = PhoneNumbers.parse(message.destAddr());
    if (receiver.isEmpty()) {
      sources.recordRejection(sourceId, "deliver_sm to '" + message.destAddr() + "', which is not a phone number in "
          + "international format");
      return false;
    }
    Part part = Part.of(NumberSource.SMPP, message.segment(), sender(message.sourceAddr()), receiver.get().e164(),
        message.dataCoding(), message.userData(), clock.instant());
    reassembly.accept(sourceId, part, reassemblyTimeout);
    return true;
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
