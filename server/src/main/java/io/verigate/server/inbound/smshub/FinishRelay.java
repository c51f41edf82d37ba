package io.verigate.server.inbound.smshub;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.verigate.server.account.Mode;
import io.verigate.server.activation.Activation;
import io.verigate.server.activation.ActivationService;
import io.verigate.server.inbound.smshub.Protocol.FinishStatus;
import io.verigate.server.system.Database;
import io.verigate.server.system.Outbox;
import io.verigate.server.system.Scheduler;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import org.jdbi.v3.core.Handle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * FINISH_ACTIVATION, delivered at least once through the outbox. Each number an agent handed out has a row in
 * {@code smshub_activation}, written in the purchase transaction; the transaction that ends the activation on it
 * closes the row with the protocol status and enqueues an outbox item of kind {@value #KIND}, so no end is committed
 * without its FINISH and neither a crash nor an agent outage loses one. The item is sent until the agent answers
 * SUCCESS; a send whose answer was lost is simply sent again, which the protocol requires agents to accept.
 */
final class FinishRelay implements ActivationService.EndListener, Outbox.Handler {
  static final String KIND = "smshub.finish";
  static final Duration FIRST_RETRY = Duration.ofSeconds(10);
  static final Duration LONGEST_RETRY = Duration.ofMinutes(10);
  /** How long an agent may stay unreachable before its FINISHes die, for the operator to send again. */
  static final Duration GIVE_UP_AFTER = Duration.ofDays(1);
  /** 10 s after the first failure, doubling up to every 10 minutes, for a day; each ±10 %. */
  static final Outbox.RetryPolicy SCHEDULE = new Outbox.RetryPolicy(delays(), 0.1);
  static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(10);
  private static final Logger log = LoggerFactory.getLogger(FinishRelay.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Database db;
  private final Clock clock;
  private final SmsHubAgents agents;
  private final AgentClient client;
  private final Outbox outbox;
  private final Scheduler scheduler;

  FinishRelay(Database db, Clock clock, SmsHubAgents agents, AgentClient client, Outbox outbox, Scheduler scheduler) {
    this.db = db;
    this.clock = clock;
    this.agents = agents;
    this.client = client;
    this.outbox = outbox;
    this.scheduler = scheduler;
    outbox.register(KIND, SCHEDULE, this);
  }

  /** In the purchase transaction: the agent's activation behind the number just leased. */
  void opened(Handle h, Agent agent, long agentActivationId, long numberId) {
    h.createUpdate("INSERT INTO smshub_activation (source_id, agent_activation_id, number_id, created_at) "
            + "VALUES (:s, :a, :n, :t)")
        .bind("s", agent.sourceId()).bind("a", agentActivationId).bind("n", numberId)
        .bind("t", clock.instant().atOffset(ZoneOffset.UTC)).execute();
  }

  /**
   * In the transaction that ends a live activation: if an agent's number served it, the number's open row gets the
   * status and its FINISH is enqueued. The open row of a number belongs to its latest activation: a later one needs
   * a new GET_NUMBER, which comes through {@link #opened}.
   */
  @Override
  public void ended(Handle h, Activation activation) {
    if (activation.mode() != Mode.LIVE) {
      return;
    }
    Optional<Open> open = h.createQuery("SELECT id, source_id, agent_activation_id FROM smshub_activation "
            + "WHERE number_id = :n AND finish_status IS NULL")
        .bind("n", activation.numberId())
        .map((rs, ctx) -> new Open(rs.getLong("id"), rs.getLong("source_id"), rs.getLong("agent_activation_id")))
        .findOne();
    open.ifPresent(row -> {
      FinishStatus status = FinishStatus.of(activation.status());
      h.createUpdate("UPDATE smshub_activation SET activation_id = :a, finish_status = :s WHERE id = :id")
          .bind("a", activation.id()).bind("s", status.code).bind("id", row.id()).execute();
      enqueue(h, row.sourceId(), row.agentActivationId(), status.code);
    });
  }

  private record Open(long id, long sourceId, long agentActivationId) {}

  /** A number handed out that no activation will use goes back to its agent as cancelled. */
  void giveBack(Agent agent, long agentActivationId, String reason) {
    log.info("giving {}'s activation {} back: {}", agent, agentActivationId, reason);
    // Off the caller's thread: a purchase, or the agent client's, neither of which should wait on the database.
    scheduler.after(Duration.ZERO, "smshub give back", () -> db.inTransaction(h -> {
      h.createUpdate("INSERT INTO smshub_activation (source_id, agent_activation_id, created_at, finish_status) "
              + "VALUES (:s, :a, :t, :status)")
          .bind("s", agent.sourceId()).bind("a", agentActivationId).bind("t", clock.instant().atOffset(ZoneOffset.UTC))
          .bind("status", FinishStatus.CANCELLED.code).execute();
      return enqueue(h, agent.sourceId(), agentActivationId, FinishStatus.CANCELLED.code);
    }));
  }

  /** The payload starts with the agent's source, so that {@link #backlog} finds each agent's items. */
  private long enqueue(Handle h, long sourceId, long agentActivationId, int status) {
    return outbox.enqueue(h, KIND, prefix(sourceId) + "\"activation\":" + agentActivationId + ",\"status\":" + status
        + "}", clock.instant());
  }

  private static String prefix(long sourceId) {
    return "{\"source\":" + sourceId + ",";
  }

  /** The FINISHes of one agent still waiting for its SUCCESS, and why the latest attempt at one failed. */
  Outbox.Backlog backlog(long sourceId) {
    return outbox.backlog(KIND, prefix(sourceId));
  }

  @Override
  public Outbox.Outcome handle(Outbox.Item item) {
    JsonNode payload;
    try {
      payload = JSON.readTree(item.payload());
    } catch (JsonProcessingException e) {
      return new Outbox.Dead("not a FINISH: " + item.payload());
    }
    long sourceId = payload.path("source").asLong();
    long agentActivationId = payload.path("activation").asLong();
    int status = payload.path("status").asInt();
    Optional<Agent> agent = agents.find(sourceId);
    if (agent.isEmpty()) {
      return new Outbox.Dead("source " + sourceId + " is no longer an SMSHub agent");
    }
    try {
      Protocol.requireStatus(client.send(agent.get(), new Protocol.FinishActivation(agent.get(), agentActivationId,
          status), ANSWER_TIMEOUT).join(), Protocol.SUCCESS);
      log.info("FINISH_ACTIVATION {} of activation {} accepted by {}", status, agentActivationId, agent.get());
      return new Outbox.Done();
    } catch (CompletionException | Protocol.AgentException e) {
      String reason = AgentClient.reason(e);
      log.warn("FINISH_ACTIVATION {} of activation {} to {} failed (attempt {}): {}", status, agentActivationId,
          agent.get(), item.attempts(), reason);
      return new Outbox.Retry(null, reason);
    }
  }

  private static List<Duration> delays() {
    List<Duration> delays = new ArrayList<>();
    Duration total = Duration.ZERO;
    for (Duration next = FIRST_RETRY; total.compareTo(GIVE_UP_AFTER) < 0; ) {
      delays.add(next);
      total = total.plus(next);
      next = next.multipliedBy(2).compareTo(LONGEST_RETRY) > 0 ? LONGEST_RETRY : next.multipliedBy(2);
    }
    return delays;
  }
}
