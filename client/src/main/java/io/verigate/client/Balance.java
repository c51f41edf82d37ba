package io.verigate.client;

import java.math.BigDecimal;

/** The wallet: {@code balance} is what can still be spent; {@code held} is reserved for live activations. */
public record Balance(BigDecimal balance, BigDecimal held, String currency) {}
