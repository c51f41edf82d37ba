package io.verigate.server.inbound.smshub;

import io.verigate.server.activation.NumberSupply;
import io.verigate.server.inventory.Inventory;
import io.verigate.server.inventory.PhoneNumbers;
import io.verigate.server.inventory.ReservedNumber;
import io.verigate.server.system.ErrorCode;
import io.verigate.server.system.Failure;
import io.verigate.server.wallet.Ledger;
import io.verigate.server.wallet.Money;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.Currency;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jdbi.v3.core.Handle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Numbers from SIM-bank agents for live purchases. The best-stocked agents are asked with GET_NUMBER, and the number
 * one hands out becomes an inventory row leased to the new activation, so that inbound SMS find it and the
 * activation's end can be told back to the agent.
 *
 * <p>The ask happens inside the purchase transaction, as every {@link NumberSupply} does, so the purchase holds a
 * pooled connection while the agent answers. That wait is bounded: the protocol gives an agent 3 s, at most two
 * agents are asked, and an agent that misses the budget or fails is benched until its next good stock poll, so the
 * purchases after it do not wait on it at all. The transaction holds no lock that matters meanwhile: the inventory
 * had no free number for it, and what it wrote (an idempotency key, a wallet row) is the customer's own.
 */
final class AgentSupply implements NumberSupply {
  private static final Logger log = LoggerFactory.getLogger(AgentSupply.class);
  /** How long an agent may take to hand out a number: the protocol's certification limit. */
  static final Duration ANSWER_BUDGET = Duration.ofSeconds(3);
  /** How long an answer is still read after the budget, so that a number handed out late can be given back. */
  static final Duration LATE_ANSWER_WINDOW = Duration.ofSeconds(30);
  static final int AGENTS_PER_PURCHASE = 2;

  private final AgentStock stock;
  private final AgentClient client;
  private final FinishOutbox outbox;
  private final Inventory inventory;
  private final Ledger ledger;
  private final int currencyCode;
  private final int sumScale;

  /**
   * {@code currency} is the deployment's ISO 4217 code; agents are told their sum with 2 decimals for roubles and
   * 4 otherwise, as the protocol has it.
   */
  AgentSupply(AgentStock stock, AgentClient client, FinishOutbox outbox, Inventory inventory, Ledger ledger,
      String currency) {
    this.stock = stock;
    this.client = client;
    this.outbox = outbox;
    this.inventory = inventory;
    this.ledger = ledger;
    this.currencyCode = Currency.getInstance(currency).getNumericCode();
    this.sumScale = "RUB".equals(currency) ? 2 : Money.SCALE;
  }

  @Override
  public Optional<ReservedNumber> reserve(Handle h, Request request) {
    List<AgentStock.Offer> offers = stock.offers(request.country(), request.service(), request.operator());
    if (offers.isEmpty()) {
      return Optional.empty();
    }
    requireFunds(h, request);
    for (AgentStock.Offer offer : offers.subList(0, Math.min(AGENTS_PER_PURCHASE, offers.size()))) {
      Optional<ReservedNumber> number = ask(h, request, offer);
      if (number.isPresent()) {
        return number;
      }
    }
    return Optional.empty();
  }

  /**
   * Agents are asked only for purchases the customer can pay: a number handed out and given back costs the agent
   * one of the four times it may offer it for the service.
   */
  private void requireFunds(Handle h, Request request) {
    if (request.price().exceeds(ledger.balance(h, request.walletId()).available())) {
      throw new Failure(ErrorCode.NO_BALANCE, "available balance is below the price " + request.price());
    }
  }

  private Optional<ReservedNumber> ask(Handle h, Request request, AgentStock.Offer offer) {
    Agent agent = offer.agent();
    AgentStock.Line line = offer.line();
    Protocol.GetNumber getNumber = new Protocol.GetNumber("GET_NUMBER", agent.key(), line.agentCountry(),
        line.agentOperator(), line.agentService(), sum(request.price()), currencyCode, request.excludedPrefixes());
    CompletableFuture<Optional<Protocol.Given>> answer =
        client.send(agent, getNumber, LATE_ANSWER_WINDOW).thenApply(Protocol::number);
    Optional<Protocol.Given> given;
    try {
      given = answer.get(ANSWER_BUDGET.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      stock.bench(agent, "GET_NUMBER took longer than " + ANSWER_BUDGET.toSeconds() + " s");
      giveBackWhenAnswered(agent, answer);
      return Optional.empty();
    } catch (ExecutionException e) {
      stock.bench(agent, "GET_NUMBER failed: " + AgentClient.reason(e));
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      giveBackWhenAnswered(agent, answer);
      return Optional.empty();
    }
    if (given.isEmpty()) {
      stock.soldOut(offer);
      return Optional.empty();
    }
    return take(h, request, offer, given.get());
  }

  /** An agent that answers after the purchase moved on has reserved a SIM for nobody: it gets the number back. */
  private void giveBackWhenAnswered(Agent agent, CompletableFuture<Optional<Protocol.Given>> answer) {
    answer.thenAccept(late -> late.ifPresent(given ->
        outbox.giveBack(agent, given.activationId(), "handed out after the " + ANSWER_BUDGET.toSeconds() + " s budget")));
  }

  private Optional<ReservedNumber> take(Handle h, Request request, AgentStock.Offer offer, Protocol.Given given) {
    Agent agent = offer.agent();
    Optional<PhoneNumbers.Parsed> parsed = PhoneNumbers.parse(given.number());
    Optional<String> refusal = refusal(given.number(), parsed, request);
    Optional<ReservedNumber> number = refusal.isPresent() ? Optional.empty()
        : inventory.addSuppliedNumber(h, parsed.get().e164(), parsed.get().countryIso(), offer.line().operator(),
            agent.sourceId());
    if (number.isEmpty()) {
      String reason = refusal.orElseGet(() -> parsed.get().e164() + " belongs to another source or is in use");
      log.warn("{} handed out a number this purchase cannot use: {}", agent, reason);
      // Given back whether the purchase then commits with another agent's number or rolls back.
      h.afterCommit(() -> outbox.giveBack(agent, given.activationId(), reason));
      h.afterRollback(() -> outbox.giveBack(agent, given.activationId(), reason));
      return Optional.empty();
    }
    stock.took(offer);
    outbox.opened(h, agent, given.activationId(), number.get().id());
    h.afterRollback(() -> outbox.giveBack(agent, given.activationId(), "the purchase did not complete"));
    return number;
  }

  /** Why a handed-out number cannot serve the purchase: the agent broke the request it was given. */
  private static Optional<String> refusal(String raw, Optional<PhoneNumbers.Parsed> parsed, Request request) {
    if (parsed.isEmpty()) {
      return Optional.of("'" + raw + "' is not a phone number with its country code");
    }
    String e164 = parsed.get().e164();
    if (!parsed.get().countryIso().equals(request.country())) {
      return Optional.of(e164 + " is in " + parsed.get().countryIso() + ", not " + request.country());
    }
    return request.excludedPrefixes().stream().filter(prefix -> e164.startsWith("+" + prefix)).findFirst()
        .map(prefix -> e164 + " starts with the excluded prefix " + prefix);
  }

  private BigDecimal sum(Money price) {
    return price.toBigDecimal().setScale(sumScale, RoundingMode.DOWN);
  }
}
