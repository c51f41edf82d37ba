package io.verigate.client;

/** What the sandbox did with a text sent to an activation: the stored message and whether a code was found. */
public record SandboxDelivery(long messageId, Integer activationId, boolean codeFound) {}
