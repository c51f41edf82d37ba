package io.verigate.server.inbound;

import io.verigate.server.activation.Activation;
import io.verigate.server.activation.ActivationService;
import io.verigate.server.system.Database;
import io.verigate.server.system.ErrorCode;
import io.verigate.server.system.Failure;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Journal, deduplicate, match, extract: the one path every inbound SMS takes. {@link #accept} returns only
 * after the message is committed, so an adapter that acknowledges after it returns never loses a message;
 * a sender that retries because the acknowledgement was lost is recognised by its message id.
 */
public final class InboundPipeline {
  private static final Logger log = LoggerFactory.getLogger(InboundPipeline.class);
  static final int MAX_TEXT = 4000;

  private final Database db;
  private final Clock clock;
  private final ActivationService activations;
  private final CodeExtractor extractor;

  public InboundPipeline(Database db, Clock clock, ActivationService activations, CodeExtractor extractor) {
    this.db = db;
    this.clock = clock;
    this.activations = activations;
    this.extractor = extractor;
  }

  public Receipt accept(InboundMessage message) {
    validate(message);
    try {
      Stored stored = db.inTransaction(h -> store(h, message));
      stored.changed().ifPresent(activations::afterDelivery);
      return stored.receipt();
    } catch (UnableToExecuteStatementException e) {
      // The message was journaled before (a retry), or a concurrent copy of it won the unique (source, provider id)
      // insert: the transaction rolled back whatever this copy changed, and the first copy's receipt answers.
      return existing(message).orElseThrow(() -> e);
    }
  }

  /** The receipt, and the activation the message changed: matched, or settled because its lifetime was over. */
  private record Stored(Receipt receipt, Optional<Activation> changed) {}

  /**
   * Matches first and journals last, so the journal row is written once, already naming its activation and code: two
   * round trips fewer than journaling, then matching, then noting the match. A message seen before fails that insert
   * on the journal's unique (source, provider id), which rolls its match back.
   */
  private Stored store(Handle h, InboundMessage m) {
    String text = m.text().length() > MAX_TEXT ? m.text().substring(0, MAX_TEXT) : m.text();
    String[] code = new String[1];
    Optional<ActivationService.Delivery> delivery = activations.deliver(h, m.receiver(), before -> {
      code[0] = extractor.extract(before.service(), text).map(ExtractedCode::code).orElse(null);
      return before.receive(code[0], text, m.sender(), m.receivedAt());
    });
    // A message after the activation's lifetime stays in the journal, matched to nothing.
    Optional<Activation> matched = delivery.filter(ActivationService.Delivery::matched)
        .map(ActivationService.Delivery::activation);
    Integer activationId = matched.map(Activation::id).orElse(null);
    String storedCode = matched.isPresent() ? code[0] : null;
    long id = h.createUpdate("INSERT INTO inbound_message (source_id, provider_id, receiver, sender, text, received_at, "
            + "stored_at, activation_id, code) VALUES (:s, :p, :r, :f, :t, :at, :now, :a, :c)")
        .bind("s", m.sourceId()).bind("p", m.providerId()).bind("r", m.receiver()).bind("f", m.sender())
        .bind("t", text).bind("at", m.receivedAt().atOffset(ZoneOffset.UTC)).bind("now", OffsetDateTime.now(clock))
        .bind("a", activationId).bind("c", storedCode)
        .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
    log.info("inbound message {} to {} from source {}: activation={} code={}", id, m.receiver(), m.sourceId(),
        activationId, mask(storedCode));
    return new Stored(new Receipt(id, false, activationId, storedCode != null),
        delivery.map(ActivationService.Delivery::activation));
  }

  private Optional<Receipt> existing(InboundMessage m) {
    return db.withHandle(h -> existing(h, m));
  }

  private static Optional<Receipt> existing(Handle h, InboundMessage m) {
    return h.createQuery("SELECT id, activation_id, code FROM inbound_message WHERE source_id = :s AND provider_id = :p")
        .bind("s", m.sourceId()).bind("p", m.providerId())
        .map((rs, ctx) -> new Receipt(rs.getLong("id"), true, (Integer) rs.getObject("activation_id", Integer.class),
            rs.getString("code") != null))
        .findOne();
  }

  private static void validate(InboundMessage m) {
    if (m.providerId() == null || m.providerId().isBlank() || m.providerId().length() > 128) {
      throw new Failure(ErrorCode.BAD_REQUEST, "messageId is required (at most 128 characters)");
    }
    if (m.receiver() == null || !m.receiver().matches("\\+\\d{6,15}")) {
      throw new Failure(ErrorCode.BAD_REQUEST, "to must be a phone number in E.164");
    }
    if (m.sender() == null || m.sender().isBlank() || m.sender().length() > 64) {
      throw new Failure(ErrorCode.BAD_REQUEST, "from is required (at most 64 characters)");
    }
    if (m.text() == null) {
      throw new Failure(ErrorCode.BAD_REQUEST, "text is required");
    }
    if (m.receivedAt() == null) {
      throw new Failure(ErrorCode.BAD_REQUEST, "receivedAt is required");
    }
  }

  /** Codes are secrets in transit: logs show only their length. */
  static String mask(String code) {
    return code == null ? "none" : "*".repeat(code.length());
  }
}
