package io.verigate.server.inbound;

/** What the pipeline did with a message; by the time a caller sees this, the message is committed. */
public record Receipt(long messageId, boolean duplicate, Integer activationId, boolean codeFound) {}
