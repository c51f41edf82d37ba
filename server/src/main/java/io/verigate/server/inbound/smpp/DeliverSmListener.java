package io.verigate.server.inbound.smpp;

import io.verigate.server.system.DatabaseUnavailable;
import java.time.Duration;
import java.util.Optional;
import org.jsmpp.PDUStringException;
import org.jsmpp.SMPPConstant;
import org.jsmpp.bean.AbstractSmCommand;
import org.jsmpp.bean.AlertNotification;
import org.jsmpp.bean.DataSm;
import org.jsmpp.bean.DeliverSm;
import org.jsmpp.bean.OptionalParameter;
import org.jsmpp.extra.ProcessRequestException;
import org.jsmpp.session.DataSmResult;
import org.jsmpp.session.MessageReceiverListener;
import org.jsmpp.session.Session;
import org.jsmpp.util.MessageId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What one link answers its SMSC's deliver_sm and data_sm with. jSMPP sends the resp when these methods return, and an
 * error resp with the status of a {@link ProcessRequestException}: so a resp says OK only once the message is
 * committed, and says ESME_RSYSERR when storing failed, which makes the SMSC send the message again.
 */
final class DeliverSmListener implements MessageReceiverListener {
  private static final Logger log = LoggerFactory.getLogger(DeliverSmListener.class);
  /** esm_class message types of receipts and acknowledgements (SMPP 3.4 §5.2.12): none of them is an SMS to a number. */
  private static final int RECEIPT_TYPES = 0x3C;

  private final long sourceId;
  private final String sourceName;
  private final Duration reassembly;
  private final SmppIntake intake;

  DeliverSmListener(long sourceId, String sourceName, Duration reassembly, SmppIntake intake) {
    this.sourceId = sourceId;
    this.sourceName = sourceName;
    this.reassembly = reassembly;
    this.intake = intake;
  }

  @Override
  public void onAcceptDeliverSm(DeliverSm deliverSm) throws ProcessRequestException {
    take(deliverSm, deliverSm.getShortMessage());
  }

  @Override
  public DataSmResult onAcceptDataSm(DataSm dataSm, Session source) throws ProcessRequestException {
    take(dataSm, null);
    try {
      return new DataSmResult(new MessageId(""), new OptionalParameter[0]);
    } catch (PDUStringException e) {
      throw new IllegalStateException("an empty message_id is valid SMPP", e);
    }
  }

  @Override
  public void onAcceptAlertNotification(AlertNotification alertNotification) {
    // Alerts tell an ESME that a handset became reachable; Verigate sends nothing to handsets.
  }

  private void take(AbstractSmCommand command, byte[] shortMessage) throws ProcessRequestException {
    if ((command.getEsmClass() & RECEIPT_TYPES) != 0) {
      // Verigate submits nothing, so a receipt reports on someone else's message: acknowledged, not journaled.
      log.debug("SMPP link {}: ignored a delivery receipt or acknowledgement", sourceName);
      return;
    }
    ShortMessage message = ShortMessage.read(command.getSourceAddr(), command.getDestAddress(), command.getEsmClass(),
        command.getDataCoding(), shortMessage, payload(command),
        value(command.getOptionalParameter(OptionalParameter.Sar_msg_ref_num.class)),
        value(command.getOptionalParameter(OptionalParameter.Sar_total_segments.class)),
        value(command.getOptionalParameter(OptionalParameter.Sar_segment_seqnum.class)));
    Optional<String> refusal;
    try {
      refusal = intake.accept(sourceId, message, reassembly);
    } catch (RuntimeException e) {
      if (!(e instanceof DatabaseUnavailable)) {
        // An outage is logged once, where it is met; anything else is logged here with its trace.
        log.error("SMPP link {}: could not store a message; answering ESME_RSYSERR so that the SMSC sends it again",
            sourceName, e);
      }
      throw new ProcessRequestException("the message could not be stored, send it again", SMPPConstant.STAT_ESME_RSYSERR, e);
    }
    if (refusal.isPresent()) {
      // A destination that is no number of this link's, for good: the SMSC is told not to send it again.
      throw new ProcessRequestException(refusal.get(), SMPPConstant.STAT_ESME_RINVDSTADR);
    }
  }

  private static byte[] payload(AbstractSmCommand command) {
    OptionalParameter.Message_payload payload = command.getOptionalParameter(OptionalParameter.Message_payload.class);
    return payload == null ? null : payload.getValue();
  }

  private static Integer value(OptionalParameter.Short parameter) {
    return parameter == null ? null : parameter.getValue() & 0xFFFF;
  }

  private static Integer value(OptionalParameter.Byte parameter) {
    return parameter == null ? null : parameter.getValue() & 0xFF;
  }
}
