package io.verigate.client.provider;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Optional;

/**
 * One source of verification numbers behind one interface: Verigate's REST API ({@link VerigateProvider}), any
 * provider speaking sms-activate's {@code handler_api.php} ({@link SmsActivateProvider}), 5sim
 * ({@link FiveSimProvider}), a scripted fake for tests ({@link InMemoryProvider}), or several of them with failover
 * ({@link FailoverProvider}). Every failure is a {@link ProviderException} with a {@link ProviderException.Reason};
 * implementations are safe to share between threads.
 */
public interface VerificationProvider {
  /** A short name for logs, health and circuit breakers, unique among the providers a failover uses. */
  String name();

  /** Buys a number for the order's service in the first of its countries that has one at or under its max price. */
  BoughtNumber buy(Order order);

  /**
   * Waits for the number's (next) code and returns it; throws {@code TIMEOUT} when none came within
   * {@code timeout} (the number stays bought: cancel it to be refunded) and {@code ENDED} when the provider ended it.
   */
  String awaitCode(BoughtNumber number, Duration timeout) throws InterruptedException;

  /** Confirms the code worked: the number is paid for. */
  void finish(BoughtNumber number);

  /** Gives the number back before a code arrived: refunded. */
  void cancel(BoughtNumber number);

  /** Asks for another code to the same number. */
  void resend(BoughtNumber number);

  /** What the account can still spend, in the provider's currency. */
  BigDecimal balance();

  /**
   * What a number for {@code service} in {@code country} costs here now, in the provider's currency, for a caller
   * choosing among providers before buying; empty when the provider publishes no price for it. A price is a quote,
   * not a promise: {@link #buy} with a {@code maxPrice} is what holds a provider to it.
   */
  default Optional<BigDecimal> price(String service, String country) {
    return Optional.empty();
  }
}
