package io.verigate.client.provider;

import java.math.BigDecimal;

/**
 * A job that got its code: the number it came to (finish it through the failover once the code worked), the code,
 * how many numbers were bought on the way, and the money the job holds (this number's price plus any earlier number
 * whose cancel failed).
 */
public record Verification(BoughtNumber number, String code, int numbersBought, BigDecimal moneyHeld) {}
