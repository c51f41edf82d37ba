package io.verigate.server.inbound;

import java.time.Instant;

/**
 * One SMS as every adapter hands it to the pipeline: the receiving number in E.164, the sender as given
 * (digits or an alphanumeric name), the text, when the source received it, the source's own message id
 * (the deduplication key) and the source it came from.
 */
public record InboundMessage(long sourceId, String providerId, String receiver, String sender, String text,
    Instant receivedAt) {}
