package io.verigate.client.provider;

import io.verigate.client.Activation;
import io.verigate.client.BuyRequest;
import io.verigate.client.Price;
import io.verigate.client.VerigateClient;
import io.verigate.client.VerigateException;
import io.verigate.client.provider.ProviderException.Reason;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A Verigate node through its REST API ({@link VerigateClient}): the ranked countries go to the server in one
 * purchase, and codes are awaited with its long poll ({@code ?wait=}), so a code is seen the moment it lands.
 */
public final class VerigateProvider implements VerificationProvider {
  private final String name;
  private final VerigateClient client;
  private final Clock clock;
  private final Sleeper sleeper;

  public VerigateProvider(String name, VerigateClient client) {
    this(name, client, Clock.systemUTC(), Sleeper.SYSTEM);
  }

  /** With the clock and sleeper used to wait out a {@code 429} while awaiting a code. */
  public VerigateProvider(String name, VerigateClient client, Clock clock, Sleeper sleeper) {
    this.name = name;
    this.client = client;
    this.clock = clock;
    this.sleeper = sleeper;
  }

  public static VerigateProvider of(String name, Endpoint endpoint) {
    VerigateClient.Builder client = VerigateClient.builder(endpoint.baseUrl(), endpoint.apiKey())
        .requestTimeout(endpoint.requestTimeout());
    if (endpoint.http() != null) {
      client.httpClient(endpoint.http());
    }
    return new VerigateProvider(name, client.build(), endpoint.clock(), endpoint.sleeper());
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public BoughtNumber buy(Order order) {
    BuyRequest request = BuyRequest.ranked(order.service(), order.countries())
        .withMaxPrice(order.maxPrice()).withOperator(order.operator());
    Activation bought = call(() -> client.buy(request, order.via()));
    return new BoughtNumber(name, Integer.toString(bought.id()), bought.phoneNumber(),
        bought.countryIso().toLowerCase(Locale.ROOT), bought.userCost());
  }

  /** Long polls until a code or the timeout; a {@code 429} on the way is waited out, within the timeout. */
  @Override
  public String awaitCode(BoughtNumber number, Duration timeout) throws InterruptedException {
    Instant deadline = clock.instant().plus(timeout);
    while (true) {
      Duration left = Duration.between(clock.instant(), deadline);
      Activation seen;
      try {
        seen = awaitOnce(number, left);
      } catch (ProviderException e) {
        if (e.reason() != Reason.RATE_LIMITED) {
          throw e;
        }
        Duration wait = e.retryAfter().orElse(Poller.FIRST_INTERVAL);
        if (wait.compareTo(Duration.between(clock.instant(), deadline)) >= 0) {
          throw new ProviderException(Reason.TIMEOUT, name + ": rate limited past the deadline", null, e);
        }
        sleeper.sleep(wait);
        continue;
      }
      if (seen.hasCode()) {
        return seen.code();
      }
      if (!seen.isWaiting()) {
        throw new ProviderException(Reason.ENDED, name + ": activation " + number.id() + " is " + seen.status());
      }
      throw new ProviderException(Reason.TIMEOUT, name + ": no code within " + timeout);
    }
  }

  private Activation awaitOnce(BoughtNumber number, Duration timeout) throws InterruptedException {
    try {
      return client.awaitCode(id(number), timeout);
    } catch (VerigateException | UncheckedIOException e) {
      throw translate(e);
    }
  }

  @Override
  public void finish(BoughtNumber number) {
    call(() -> client.finish(id(number)));
  }

  @Override
  public void cancel(BoughtNumber number) {
    call(() -> client.cancel(id(number)));
  }

  @Override
  public void resend(BoughtNumber number) {
    call(() -> client.resend(id(number)));
  }

  /** The price {@code GET /api/v1/prices} quotes for any operator. */
  @Override
  public Optional<BigDecimal> price(String service, String country) {
    return call(() -> client.prices(service, country)).stream().findFirst().map(Price::price);
  }

  @Override
  public BigDecimal balance() {
    return call(client::balance).balance();
  }

  private static int id(BoughtNumber number) {
    return Integer.parseInt(number.id());
  }

  private <T> T call(Supplier<T> request) {
    try {
      return request.get();
    } catch (VerigateException | UncheckedIOException e) {
      throw translate(e);
    }
  }

  private ProviderException translate(RuntimeException e) {
    if (!(e instanceof VerigateException refused)) {
      return ProviderException.down(name + ": " + e.getMessage(), e);
    }
    if (refused.status() == 429) {
      return new ProviderException(Reason.RATE_LIMITED, name + ": " + refused.getMessage(),
          refused.retryAfter().orElse(null), refused);
    }
    if (refused.status() >= 500 || refused.code().equals("UNEXPECTED_RESPONSE")) {
      return ProviderException.down(name + ": " + refused.getMessage(), refused);
    }
    Reason reason = switch (refused.code()) {
      case "NO_NUMBERS" -> Reason.NO_NUMBERS;
      case "NO_BALANCE" -> Reason.NO_BALANCE;
      case "PRICE_ABOVE_MAX" -> Reason.PRICE_ABOVE_MAX;
      case "EARLY_CANCEL_DENIED" -> Reason.TOO_EARLY;
      default -> Reason.REFUSED;
    };
    return new ProviderException(reason, name + ": " + refused.getMessage(), refused.retryAfter().orElse(null),
        refused);
  }
}
