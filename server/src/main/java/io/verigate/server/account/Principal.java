package io.verigate.server.account;

import java.util.Set;

/** Who is calling: the customer an API key belongs to, the key's mode, and what the key may do. */
public record Principal(long customerId, Mode mode, String keyId, Set<Scope> scopes) {}
