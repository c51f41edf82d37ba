package io.verigate.server.catalog;

/**
 * A service a customer wants a verification code from (WhatsApp, Google, ...).
 *
 * @param code sms-activate short code ({@code wa})
 * @param name display name
 * @param fiveSimName 5sim product name ({@code whatsapp}), {@code null} if unknown
 */
public record TargetService(String code, String name, String fiveSimName) {}
