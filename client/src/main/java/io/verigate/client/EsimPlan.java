package io.verigate.client;

import java.math.BigDecimal;
import java.util.List;

/**
 * A travel eSIM plan: the countries it works in (or its {@code region}), its data ({@code dataMb} null when
 * {@code unlimited}), its validity in days from first use, and its price. {@code type} is {@code esim} or
 * {@code topup} (extends an eSIM already sold).
 */
public record EsimPlan(String id, String name, String type, String region, List<String> countries, Integer dataMb,
    boolean unlimited, int validityDays, Integer voiceMinutes, Integer smsCount, BigDecimal price, String currency) {}
