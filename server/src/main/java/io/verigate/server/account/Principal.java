package io.verigate.server.account;

/** Who is calling: the customer an API key belongs to, and the key's mode. */
public record Principal(long customerId, Mode mode, String keyId) {}
