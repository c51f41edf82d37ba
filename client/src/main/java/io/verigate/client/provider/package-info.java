/**
 * One interface for every source of verification numbers, and failover across them.
 *
 * <pre>{@code
 * FailoverProvider providers = FailoverProvider.builder()
 *     .provider(VerigateProvider.of("verigate", Endpoint.of("https://verigate.example.com", verigateKey)))
 *     .provider(new SmsActivateProvider("backup", Endpoint.of("https://backup.example.com", backupKey)))
 *     .build();
 * Order order = Order.of("wa", "us", "gb").withMaxPrice(new BigDecimal("0.60"));
 * Budget budget = Budget.of(new BigDecimal("1.50"), 3, Duration.ofMinutes(6)).withCodeWait(Duration.ofMinutes(2));
 * Verification done = providers.verify(order, budget, number -> signUp(number.phone()));
 * confirm(done.code());
 * providers.finish(done.number());
 * }</pre>
 *
 * <p>Every failure is a {@link io.verigate.client.provider.ProviderException} with a
 * {@link io.verigate.client.provider.ProviderException.Reason}. For tests of code written against the interface,
 * {@link io.verigate.client.provider.InMemoryProvider} plays scripted outcomes on a test clock;
 * {@link io.verigate.client.provider.BalanceWatcher} alerts before a balance runs out.
 */
package io.verigate.client.provider;
