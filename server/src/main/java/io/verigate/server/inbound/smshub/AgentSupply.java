package io.verigate.server.inbound.smshub;

import io.verigate.server.inventory.Inventory;
import io.verigate.server.inventory.PhoneNumbers;
import io.verigate.server.inventory.ReservedNumber;
import io.verigate.server.supply.RemoteSupplier;
import io.verigate.server.supply.SuppliedNumber;
import io.verigate.server.supply.SupplyRequest;
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
 * <p>The supply router asks before the purchase transaction opens, so the wait holds no pooled connection. It is
 * still bounded: the protocol gives an agent 3 s, at most two agents are asked, and an agent that misses the budget
 * or fails is benched until its next good stock poll, so the purchases after it do not wait on it at all.
 */
final class AgentSupply implements RemoteSupplier {
  private static final Logger log = LoggerFactory.getLogger(AgentSupply.class);
  /** How long an agent may take to hand out a number: the protocol's certification limit. */
  static final Duration ANSWER_BUDGET = Duration.ofSeconds(3);
  /** How long an answer is still read after the budget, so that a number handed out late can be given back. */
  static final Duration LATE_ANSWER_WINDOW = Duration.ofSeconds(30);
  static final int AGENTS_PER_PURCHASE = 2;

  private final AgentStock stock;
  private final AgentClient client;
  private final FinishRelay finishes;
  private final Inventory inventory;
  private final int currencyCode;
  private final int sumScale;

  /**
   * {@code currency} is the deployment's ISO 4217 code; agents are told their sum with 2 decimals for roubles and
   * 4 otherwise, as the protocol has it.
   */
  AgentSupply(AgentStock stock, AgentClient client, FinishRelay finishes, Inventory inventory, String currency) {
    this.stock = stock;
    this.client = client;
    this.finishes = finishes;
    this.inventory = inventory;
    this.currencyCode = Currency.getInstance(currency).getNumericCode();
    this.sumScale = "RUB".equals(currency) ? 2 : Money.SCALE;
  }

  @Override
  public boolean mayHave(SupplyRequest request) {
    return !offers(request).isEmpty();
  }

  @Override
  public Optional<SuppliedNumber> handOut(SupplyRequest request) {
    List<AgentStock.Offer> offers = offers(request);
    for (AgentStock.Offer offer : offers.subList(0, Math.min(AGENTS_PER_PURCHASE, offers.size()))) {
      Optional<SuppliedNumber> number = ask(request, offer);
      if (number.isPresent()) {
        return number;
      }
    }
    return Optional.empty();
  }

  private List<AgentStock.Offer> offers(SupplyRequest request) {
    return stock.offers(request.country(), request.service(), request.operator());
  }

  private Optional<SuppliedNumber> ask(SupplyRequest request, AgentStock.Offer offer) {
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
    Optional<PhoneNumbers.Parsed> parsed = PhoneNumbers.parse(given.get().number());
    Optional<String> refusal = request.refusal(given.get().number(), parsed);
    if (refusal.isPresent()) {
      log.warn("{} handed out a number this purchase cannot use: {}", agent, refusal.get());
      finishes.giveBack(agent, given.get().activationId(), refusal.get());
      return Optional.empty();
    }
    return Optional.of(new AgentNumber(offer, given.get().activationId(), parsed.get()));
  }

  /** An agent that answers after the purchase moved on has reserved a SIM for nobody: it gets the number back. */
  private void giveBackWhenAnswered(Agent agent, CompletableFuture<Optional<Protocol.Given>> answer) {
    answer.thenAccept(late -> late.ifPresent(given ->
        finishes.giveBack(agent, given.activationId(), "handed out after the " + ANSWER_BUDGET.toSeconds() + " s budget")));
  }

  /** A number an agent handed out, on its way into a purchase or back to the agent. */
  private final class AgentNumber implements SuppliedNumber {
    private final AgentStock.Offer offer;
    private final long agentActivationId;
    private final PhoneNumbers.Parsed number;

    AgentNumber(AgentStock.Offer offer, long agentActivationId, PhoneNumbers.Parsed number) {
      this.offer = offer;
      this.agentActivationId = agentActivationId;
      this.number = number;
    }

    @Override
    public Optional<ReservedNumber> takeIn(Handle h) {
      Agent agent = offer.agent();
      Optional<ReservedNumber> taken = inventory.addSuppliedNumber(h, number.e164(), number.countryIso(),
          offer.line().operator(), agent.sourceId());
      taken.ifPresent(reserved -> {
        finishes.opened(h, agent, agentActivationId, reserved.id());
        h.afterCommit(() -> stock.took(offer));
      });
      return taken;
    }

    @Override
    public void giveBack(String reason) {
      log.warn("{}: {} given back: {}", offer.agent(), number.e164(), reason);
      finishes.giveBack(offer.agent(), agentActivationId, reason);
    }
  }

  private BigDecimal sum(Money price) {
    return price.toBigDecimal().setScale(sumScale, RoundingMode.DOWN);
  }
}
