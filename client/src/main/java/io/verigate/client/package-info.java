/**
 * The Java SDK for Verigate's REST API ({@code /api/v1}).
 *
 * <pre>{@code
 * VerigateClient verigate = VerigateClient.create("https://verigate.example.com", apiKey);
 * Activation bought = verigate.buy(BuyRequest.of("whatsapp", "us"));
 * // ... have WhatsApp send its code to bought.phoneNumber() ...
 * Activation done = verigate.awaitCode(bought.id(), Duration.ofMinutes(2));
 * if (done.hasCode()) {
 *   useCode(done.code());
 *   verigate.finish(done.id());        // charged only now
 * } else {
 *   verigate.cancel(done.id());        // refunded (allowed once the early-cancel guard has passed)
 * }
 * }</pre>
 *
 * <p>Every refusal of the server is a {@link io.verigate.client.VerigateException} with the HTTP status and
 * the stable problem {@code code} ({@code NO_NUMBERS}, {@code NO_BALANCE}, ...). Amounts are
 * {@link java.math.BigDecimal}, never {@code double}. A client is immutable and safe to share between threads.
 */
package io.verigate.client;
