package io.verigate.server.catalog;

/**
 * A country numbers can be bought in.
 *
 * @param iso ISO 3166-1 alpha-2 code, upper case ({@code US})
 * @param name English name
 * @param dialCode E.164 country calling code, digits only ({@code 1}); shared by NANP members and by RU/KZ
 * @param smsActivateId id in sms-activate's {@code getCountries} table, {@code null} if sms-activate does not list it
 * @param fiveSimSlug 5sim country name ({@code usa}), {@code null} if 5sim does not list it
 */
public record Country(String iso, String name, String dialCode, Integer smsActivateId, String fiveSimSlug) {}
