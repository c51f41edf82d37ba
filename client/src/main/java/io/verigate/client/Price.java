package io.verigate.client;

import java.math.BigDecimal;

/** The price of a number for one service in one country, and how many numbers are free right now. */
public record Price(String serviceCode, String countryIso, String operator, BigDecimal price, String currency,
    int available) {}
