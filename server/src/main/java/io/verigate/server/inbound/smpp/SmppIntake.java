package io.verigate.server.inbound.smpp;

import io.verigate.server.inbound.InboundPipeline;
import io.verigate.server.inbound.Part;
import io.verigate.server.inbound.Reassembly;
import io.verigate.server.inbound.Receipt;
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
   * committed, with the reason its destination is refused, which shows in the source's health: no phone number (nothing
   * is stored), or a number of another source (the message is journaled as rejected). Empty when it is taken.
   */
  Optional<String> accept(long sourceId, ShortMessage message, Duration reassemblyTimeout) {
    Optional<PhoneNumbers.Parsed> receiver = PhoneNumbers.parse(message.destAddr());
    if (receiver.isEmpty()) {
      return refused(sourceId, "deliver_sm to '" + message.destAddr() + "', which is not a phone number in "
          + "international format");
    }
    String e164 = receiver.get().e164();
    Part part = Part.of(NumberSource.SMPP, message.segment(), sender(message.sourceAddr()), e164,
        message.dataCoding(), message.userData(), clock.instant());
    if (reassembly.accept(sourceId, part, reassemblyTimeout).filter(Receipt::rejected).isPresent()) {
      return refused(sourceId, InboundPipeline.rejection(e164).getMessage());
    }
    return Optional.empty();
  }

  private Optional<String> refused(long sourceId, String reason) {
    sources.recordRejection(sourceId, reason);
    return Optional.of(reason);
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
