package io.verigate.client;

import java.math.BigDecimal;
import java.util.List;

/** An order of eSIMs: charged at once, {@code price} for all {@code quantity} of them. */
public record EsimOrder(int id, String planId, int quantity, BigDecimal price, String currency, List<Esim> esims) {}
