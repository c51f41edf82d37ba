package io.verigate.server.inbound;

import io.verigate.server.activation.Activation;
import io.verigate.server.activation.ActivationService;
import io.verigate.server.inventory.NumberSources;
import io.verigate.server.inventory.Inventory;
import io.verigate.server.system.Database;
import io.verigate.server.system.ErrorCode;
import io.verigate.server.system.Failure;
import io.verigate.server.system.Metrics;
import io.verigate.server.system.Metrics.InboundOutcome;
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
 *
 * <p>A source delivers only to its own numbers. A message to a number the inventory holds under another source is
 * journaled as rejected, matched to nothing, and its adapter refuses it with {@link #rejection} and counts the refusal
 * in the source's health; a gateway that knows one source's token cannot hand codes to another's customers. A number
 * the inventory does not hold at all is journaled unmatched, as before.
 */
public final class InboundPipeline {
  private static final Logger log = LoggerFactory.getLogger(InboundPipeline.class);
  static final int MAX_TEXT = 4000;

  private final Database db;
  private final Clock clock;
  private final ActivationService activations;
  private final CodeExtractor extractor;
  private final NumberSources sources;
  private final Metrics metrics;

  /** Counts every message by its source's name and what became of it; refusals are counted where they are recorded. */
  public InboundPipeline(Database db, Clock clock, ActivationService activations, CodeExtractor extractor,
      NumberSources sources, Metrics metrics) {
    this.db = db;
    this.clock = clock;
    this.activations = activations;
    this.extractor = extractor;
    this.sources = sources;
    this.metrics = metrics;
  }

  public Receipt accept(InboundMessage message) {
    validate(message);
    Receipt receipt;
    try {
      Stored stored = db.inTransaction(h -> store(h, message));
      stored.changed().ifPresent(activations::afterDelivery);
      receipt = stored.receipt();
    } catch (UnableToExecuteStatementException e) {
      // The message was journaled before (a retry), or a concurrent copy of it won the unique (source, provider id)
      // insert: the transaction rolled back whatever this copy changed, and the first copy's receipt answers.
      receipt = existing(message).orElseThrow(() -> e);
    }
    metrics.inbound(sources.name(message.sourceId()), receipt.duplicate() ? InboundOutcome.DUPLICATE
        : receipt.activationId() != null ? InboundOutcome.MATCHED : InboundOutcome.UNMATCHED);
    if (!receipt.duplicate()) {
      sources.traffic().message(message.sourceId());
    }
    return receipt;
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
    Optional<ActivationService.Delivery> delivery = activations.deliver(h, m.sourceId(), m.receiver(), before -> {
      code[0] = extractor.extract(before.service(), text).map(ExtractedCode::code).orElse(null);
      return before.receive(code[0], text, m.sender(), m.receivedAt());
    });
    // Only an unmatched message costs the look-up: a matched one was matched on a number of its own source.
    boolean rejected = delivery.isEmpty() && Inventory.ownedByAnotherSource(h, m.receiver(), m.sourceId());
    // A message after the activation's lifetime stays in the journal, matched to nothing.
    Optional<Activation> matched = delivery.filter(ActivationService.Delivery::matched)
        .map(ActivationService.Delivery::activation);
    Integer activationId = matched.map(Activation::id).orElse(null);
    String storedCode = matched.isPresent() ? code[0] : null;
    long id = h.createUpdate("INSERT INTO inbound_message (source_id, provider_id, receiver, sender, text, received_at, "
            + "stored_at, activation_id, code, rejected) VALUES (:s, :p, :r, :f, :t, :at, :now, :a, :c, :rejected)")
        .bind("s", m.sourceId()).bind("p", m.providerId()).bind("r", m.receiver()).bind("f", m.sender())
        .bind("t", text).bind("at", m.receivedAt().atOffset(ZoneOffset.UTC)).bind("now", OffsetDateTime.now(clock))
        .bind("a", activationId).bind("c", storedCode).bind("rejected", rejected)
        .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
    if (rejected) {
      log.warn("inbound message {} to {} from source {}: rejected, the number belongs to another source", id,
          m.receiver(), m.sourceId());
    } else {
      log.info("inbound message {} to {} from source {}: activation={} code={}", id, m.receiver(), m.sourceId(),
          activationId, mask(storedCode));
    }
    return new Stored(new Receipt(id, false, activationId, storedCode != null, rejected),
        delivery.map(ActivationService.Delivery::activation));
  }

  private Optional<Receipt> existing(InboundMessage m) {
    return db.withHandle(h -> existing(h, m));
  }

  private static Optional<Receipt> existing(Handle h, InboundMessage m) {
    return h.createQuery("SELECT id, activation_id, code, rejected FROM inbound_message "
            + "WHERE source_id = :s AND provider_id = :p")
        .bind("s", m.sourceId()).bind("p", m.providerId())
        .map((rs, ctx) -> new Receipt(rs.getLong("id"), true, (Integer) rs.getObject("activation_id", Integer.class),
            rs.getString("code") != null, rs.getBoolean("rejected")))
        .findOne();
  }

  /** What an adapter refuses a rejected message with (see {@link Receipt#rejected}); it names no other source. */
  public static Failure rejection(String receiver) {
    return new Failure(ErrorCode.FORBIDDEN, receiver + " is a number of another source: a source delivers SMS to its "
        + "own numbers only");
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
