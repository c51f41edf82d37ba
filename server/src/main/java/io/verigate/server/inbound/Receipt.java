package io.verigate.server.inbound;

/**
 * What the pipeline did with a message; by the time a caller sees this, the message is committed. A {@code rejected}
 * message went to a number of another source: it is in the journal, matched to nothing, and the adapter refuses it.
 */
public record Receipt(long messageId, boolean duplicate, Integer activationId, boolean codeFound, boolean rejected) {}
