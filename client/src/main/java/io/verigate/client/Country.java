package io.verigate.client;

/** A country: ISO alpha-2 code, name, dial code, sms-activate numeric id and 5sim slug (either may be null). */
public record Country(String iso, String name, String dialCode, Integer smsActivateId, String fiveSimSlug) {}
