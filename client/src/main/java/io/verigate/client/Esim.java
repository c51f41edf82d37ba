package io.verigate.client;

import java.math.BigDecimal;

/**
 * One eSIM sold: its ICCID and what installs it. {@code activationCode} is the minimal GSMA code
 * ({@code LPA:1$<SM-DP+>$<matching id>}) that its QR code holds; {@code confirmationCode} is asked by the phone for
 * some profiles and is null otherwise.
 */
public record Esim(int id, int orderId, String planId, String iccid, String activationCode, String smdpAddress,
    String matchingId, String confirmationCode, String appleInstallUrl, String qrCodeUrl, BigDecimal price,
    String currency) {}
