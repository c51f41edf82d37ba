package io.verigate.server.inbound.smshub;

import io.verigate.server.account.Actor;
import io.verigate.server.activation.ActivationService;
import io.verigate.server.catalog.Catalog;
import io.verigate.server.inventory.Inventory;
import io.verigate.server.inventory.NumberSources;
import io.verigate.server.system.Database;
import io.verigate.server.system.NodeEvents;
import io.verigate.server.system.Outbox;
import io.verigate.server.system.SecretBox;
import io.verigate.server.system.Scheduler;
import io.verigate.server.supply.RemoteSupplier;
import java.time.Clock;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/**
 * Verigate as the hub of the SMSHub agent protocol. SIM banks registered as agents are polled for stock every 15 s
 * (the protocol's 10-20 s), asked for a number when a live purchase finds none in the inventory, told with
 * FINISH_ACTIVATION how each activation on their numbers ended (through the outbox), and push their SMS into the
 * inbound pipeline. Its stock polls run on a thread of its own, so a slow agent never holds up the node's sweeps.
 */
public final class SmsHub implements AutoCloseable {
  static final Duration POLL_INTERVAL = Duration.ofSeconds(15);
  /** The node event that an agent's settings changed; its payload is the agent's source id. */
  static final String AGENT_CHANGED = "verigate_smshub_agent";

  private final Scheduler scheduler = new Scheduler(1);
  private final SmsHubAgents agents;
  private final AgentStock stock;
  private final FinishRelay finishes;
  private final AgentSupply supply;
  private final NodeEvents events;

  /** Joins the inventory's live availability with the agents' stock; {@code currency} is the deployment's. */
  public SmsHub(Database db, Clock clock, Catalog catalog, Inventory inventory, NumberSources sources,
      SecretBox secrets, String currency, NodeEvents events, Outbox outbox) {
    AgentClient client = new AgentClient();
    this.agents = new SmsHubAgents(db, sources, secrets);
    this.stock = new AgentStock(agents, client, catalog);
    this.finishes = new FinishRelay(db, clock, agents, client, outbox, scheduler);
    this.supply = new AgentSupply(stock, client, finishes, inventory, currency);
    inventory.addRemoteStock(stock);
    this.events = events;
    // A missed event costs at most one poll interval of the old settings, so a gap needs nothing of its own.
    events.subscribe(AGENT_CHANGED, sourceId -> repoll(Long.parseLong(sourceId)), () -> {});
  }

  public SmsHubAgents agents() {
    return agents;
  }

  /**
   * An agent as the operator sees it: where the hub reaches it, how many numbers it offers now (none while it does
   * not answer), and the FINISH_ACTIVATIONs still waiting for its SUCCESS with the latest reason one failed.
   */
  public record AgentView(URI url, int offered, long finishesPending, String lastFinishError) {}

  public Optional<AgentView> agentView(long sourceId) {
    return agents.find(sourceId).map(agent -> {
      Outbox.Backlog backlog = finishes.backlog(sourceId);
      return new AgentView(agent.url(), stock.offeredBy(sourceId), backlog.pending(), backlog.lastError());
    });
  }

  /**
   * Moves an agent to a new URL or key, checked by {@link SmsHubAgents#checkedChange}. FINISH_ACTIVATION and PUSH_SMS
   * read the settings on every use, so they follow at once. Every node drops the stock it polled under the old
   * settings and polls the agent again now: this one at once, the others when the node event reaches them.
   */
  public void reconfigure(Actor actor, SmsHubAgents.Change change) {
    agents.apply(actor, change);
    repoll(change.sourceId());
    events.publish(AGENT_CHANGED, Long.toString(change.sourceId()));
  }

  private void repoll(long sourceId) {
    stock.forget(sourceId);
    scheduler.after(Duration.ZERO, "smshub stock", stock::poll);
  }

  /** Numbers from agents, for live purchases. */
  public RemoteSupplier supply() {
    return supply;
  }

  /** Hears activations end and tells their agents; add it to the activation service's end listeners. */
  public ActivationService.EndListener finishes() {
    return finishes;
  }

  /** Polls the agents now and then every {@link #POLL_INTERVAL}. */
  public void start() {
    scheduler.after(Duration.ZERO, "smshub stock", stock::poll);
    scheduler.every(POLL_INTERVAL, "smshub stock", stock::poll);
  }

  /** Asks every agent for its stock now, as the schedule does every 15 s. */
  public void pollStock() {
    stock.poll();
  }

  @Override
  public void close() {
    scheduler.close();
  }
}
