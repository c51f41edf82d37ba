package io.verigate.server.inbound.smshub;

import com.fasterxml.jackson.databind.JsonNode;
import io.verigate.server.catalog.Catalog;
import io.verigate.server.catalog.Country;
import io.verigate.server.catalog.TargetService;
import io.verigate.server.inventory.Inventory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.IntUnaryOperator;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the agents can sell, as each last said in GET_SERVICES: counts by country, operator and service, translated
 * into the catalog's codes, with the agent's own names kept to ask for them. An agent that fails a poll or a
 * GET_NUMBER has nothing on offer until its next good poll, so no purchase waits on it in between.
 */
final class AgentStock implements Inventory.RemoteStock {
  private static final Logger log = LoggerFactory.getLogger(AgentStock.class);
  static final Duration POLL_TIMEOUT = Duration.ofSeconds(10);
  private static final String ANY_OPERATOR = "any";

  /** A count of an agent in the catalog's codes, and the agent's own names for the same thing. */
  record Line(String countryIso, String operator, String service, String agentCountry, String agentOperator,
      String agentService) {}

  /** An agent and the line a purchase asks it for, with how many numbers it has there. */
  record Offer(Agent agent, Line line, int count) {}

  private record Shelf(Agent agent, Map<Line, Integer> counts) {}

  private final SmsHubAgents agents;
  private final AgentClient client;
  private final Catalog catalog;
  private final Map<Long, Shelf> shelves = new ConcurrentHashMap<>();
  private final Set<Long> unreachable = ConcurrentHashMap.newKeySet();
  private final Map<Long, List<String>> unknownNames = new ConcurrentHashMap<>();

  AgentStock(SmsHubAgents agents, AgentClient client, Catalog catalog) {
    this.agents = agents;
    this.client = client;
    this.catalog = catalog;
  }

  /** Asks every agent at once; each answer, or the lack of one within the timeout, replaces what it had on offer. */
  void poll() {
    Map<Agent, CompletableFuture<JsonNode>> asked = new LinkedHashMap<>();
    for (Agent agent : agents.all()) {
      asked.put(agent, client.send(agent, new Protocol.GetServices(agent), POLL_TIMEOUT));
    }
    shelves.keySet().retainAll(asked.keySet().stream().map(Agent::sourceId).collect(Collectors.toSet()));
    asked.forEach((agent, answer) -> {
      try {
        shelves.put(agent.sourceId(), new Shelf(agent, lines(agent, Protocol.stock(answer.join()))));
        if (unreachable.remove(agent.sourceId())) {
          log.info("{} answers GET_SERVICES again", agent);
        }
      } catch (CompletionException | Protocol.AgentException e) {
        bench(agent, "GET_SERVICES failed: " + AgentClient.reason(e));
      }
    });
  }

  /** The agents with numbers for this purchase, most stocked first, each with its best-stocked line. */
  List<Offer> offers(String countryIso, String service, String operator) {
    Predicate<Line> fits = line -> line.countryIso().equals(countryIso) && line.service().equals(service)
        && (ANY_OPERATOR.equals(operator) || line.operator().equals(operator));
    List<Offer> offers = new ArrayList<>();
    for (Shelf shelf : shelves.values()) {
      shelf.counts().entrySet().stream()
          .filter(count -> count.getValue() > 0 && fits.test(count.getKey()))
          .max(Map.Entry.comparingByValue())
          .ifPresent(best -> offers.add(new Offer(shelf.agent(), best.getKey(), best.getValue())));
    }
    offers.sort(Comparator.comparingInt(Offer::count).reversed());
    return offers;
  }

  /** Every number the agent offers now, over all its lines. */
  int offeredBy(long sourceId) {
    Shelf shelf = shelves.get(sourceId);
    return shelf == null ? 0 : shelf.counts().values().stream().mapToInt(Integer::intValue).sum();
  }

  /** One number of the line was sold: counted down until the next poll says how many are left. */
  void took(Offer offer) {
    recount(offer, n -> Math.max(0, n - 1));
  }

  /** The agent answered NO_NUMBERS for the line. */
  void soldOut(Offer offer) {
    recount(offer, n -> 0);
  }

  /** The agent failed a request: nothing of it is on offer until it answers a poll again. */
  void bench(Agent agent, String reason) {
    shelves.remove(agent.sourceId());
    if (unreachable.add(agent.sourceId())) {
      log.warn("{} is off until it answers GET_SERVICES again: {}", agent, reason);
    }
  }

  /**
   * The agent's settings changed: what it offered was counted under the old ones, and its shelf holds the old URL and
   * key, so nothing of it is on offer, and no failure of it remembered, until it answers a poll with the new ones.
   */
  void forget(long sourceId) {
    shelves.remove(sourceId);
    unreachable.remove(sourceId);
  }

  @Override
  public Map<String, Integer> availability(String service) {
    return total(line -> line.service().equals(service), Line::countryIso);
  }

  @Override
  public Map<String, Integer> inCountry(String countryIso) {
    return total(line -> line.countryIso().equals(countryIso), Line::service);
  }

  private Map<String, Integer> total(Predicate<Line> which, Function<Line, String> by) {
    Map<String, Integer> totals = new HashMap<>();
    shelves.values().forEach(shelf -> shelf.counts().forEach((line, n) -> {
      if (which.test(line)) {
        totals.merge(by.apply(line), n, Integer::sum);
      }
    }));
    return totals;
  }

  private void recount(Offer offer, IntUnaryOperator change) {
    Shelf shelf = shelves.get(offer.agent().sourceId());
    if (shelf != null) {
      shelf.counts().computeIfPresent(offer.line(), (line, n) -> change.applyAsInt(n));
    }
  }

  /** The answer's counts under the catalog's codes; names the catalog does not know are left out. */
  private Map<Line, Integer> lines(Agent agent, List<Protocol.StockLine> answer) {
    Map<Line, Integer> counts = new ConcurrentHashMap<>();
    List<String> unknown = new ArrayList<>();
    for (Protocol.StockLine stock : answer) {
      Optional<Country> country = catalog.country(stock.country());
      Optional<TargetService> service = catalog.service(stock.service());
      String operator = stock.operator().toLowerCase(Locale.ROOT);
      if (country.isEmpty() || service.isEmpty() || !operator.matches("[a-z0-9_.-]{1,32}")) {
        unknown.add(stock.country() + "/" + stock.operator() + "/" + stock.service());
        continue;
      }
      counts.merge(new Line(country.get().iso(), operator, service.get().code(), stock.country(), stock.operator(),
          stock.service()), stock.count(), Integer::sum);
    }
    if (!unknown.equals(unknownNames.put(agent.sourceId(), unknown)) && !unknown.isEmpty()) {
      log.warn("{} offers country/operator/service names the catalog does not know; left out: {}", agent, unknown);
    }
    return counts;
  }
}
