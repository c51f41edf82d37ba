package io.verigate.client.provider;

import java.math.BigDecimal;

/**
 * A number bought from one provider: its id there (kept as text, since providers differ), the phone number in
 * E.164 form, the country (ISO alpha-2, lower case) and what it costs if finished.
 */
public record BoughtNumber(String provider, String id, String phone, String country, BigDecimal price) {}
