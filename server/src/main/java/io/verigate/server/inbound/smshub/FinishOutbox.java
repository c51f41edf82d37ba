package io.verigate.server.inbound.smshub;

import io.verigate.server.account.Mode;
import io.verigate.server.activation.Activation;
import io.verigate.server.activation.ActivationListener;
import io.verigate.server.activation.ActivationStatus;
import io.verigate.server.inbound.smshub.Protocol.FinishStatus;
import io.verigate.server.system.Database;
import io.verigate.server.system.Scheduler;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.jdbi.v3.core.Handle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * FINISH_ACTIVATION, delivered at least once. Each number an agent handed out has a row in {@code smshub_activation};
 * when the activation on it ends, the row gets the protocol status and falls due, and due rows are sent until the
 * agent answers SUCCESS, retried after 10 s and then less often up to every 10 minutes. The rows are committed
 * before any send, so neither a crash nor an agent outage loses a FINISH; a send whose answer was lost is simply
 * sent again, which the protocol requires agents to accept.
 */
final class FinishOutbox implements ActivationListener {
  private static final Logger log = LoggerFactory.getLogger(FinishOutbox.class);
  static final Duration FIRST_RETRY = Duration.ofSeconds(10);
  static final Duration LONGEST_RETRY = Duration.ofMinutes(10);
  static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(10);
  private static final int BATCH = 50;

  private final Database db;
  private final Clock clock;
  private final SmsHubAgents agents;
  private final AgentClient client;
  private final Scheduler scheduler;

  FinishOutbox(Database db, Clock clock, SmsHubAgents agents, AgentClient client, Scheduler scheduler) {
    this.db = db;
    this.clock = clock;
    this.agents = agents;
    this.client = client;
    this.scheduler = scheduler;
  }

  /** In the purchase transaction: the agent's activation behind the number just leased. */
  void opened(Handle h, Agent agent, long agentActivationId, long numberId) {
    scheduleEnded(h, numberId);
    h.createUpdate("INSERT INTO smshub_activation (source_id, agent_activation_id, number_id, created_at) "
            + "VALUES (:s, :a, :n, :t)")
        .bind("s", agent.sourceId()).bind("a", agentActivationId).bind("n", numberId).bind("t", now())
        .execute();
  }

  /** An activation ended: if an agent's number served it, its FINISH falls due and is sent at once. */
  @Override
  public void changed(Activation activation) {
    if (activation.mode() != Mode.LIVE || activation.status().isLive()) {
      return;
    }
    try {
      int due = db.withHandle(h -> schedule(h, activation.numberId(), activation.id(), activation.status()));
      if (due > 0) {
        scheduler.after(Duration.ZERO, "smshub finish", this::deliverDue);
      }
    } catch (RuntimeException e) {
      // The activation's end is committed; the sweep finds the row from its number and schedules it later.
      log.warn("could not schedule FINISH_ACTIVATION for activation {}; the outbox sweep will", activation.id(), e);
    }
  }

  /** A number handed out that no activation will use goes back to its agent as cancelled. */
  void giveBack(Agent agent, long agentActivationId, String reason) {
    log.info("giving {}'s activation {} back: {}", agent, agentActivationId, reason);
    scheduler.after(Duration.ZERO, "smshub give back", () -> {
      db.withHandle(h -> h.createUpdate("INSERT INTO smshub_activation (source_id, agent_activation_id, created_at, "
              + "finish_status, next_attempt_at) VALUES (:s, :a, :t, :status, :t)")
          .bind("s", agent.sourceId()).bind("a", agentActivationId).bind("t", now())
          .bind("status", FinishStatus.CANCELLED.code).execute());
      deliverDue();
    });
  }

  /** Schedules the ends a crash left unscheduled, then sends every FINISH that is due. */
  void sweep() {
    List<Long> numbers = db.withHandle(h -> h.createQuery("SELECT o.number_id FROM smshub_activation o "
            + "JOIN phone_number p ON p.id = o.number_id WHERE o.finish_status IS NULL AND p.active_activation_id IS NULL")
        .mapTo(Long.class).list());
    numbers.forEach(number -> db.inTransaction(h -> {
      scheduleEnded(h, number);
      return null;
    }));
    deliverDue();
  }

  /** The FINISHes of one agent still waiting for its SUCCESS, and why the latest attempt at one failed. */
  record Backlog(long pending, String lastError) {}

  Backlog backlog(long sourceId) {
    return db.withHandle(h -> new Backlog(
        h.createQuery("SELECT COUNT(*) FROM smshub_activation WHERE source_id = :s AND finish_status IS NOT NULL "
                + "AND delivered_at IS NULL")
            .bind("s", sourceId).mapTo(Long.class).one(),
        h.createQuery("SELECT last_error FROM smshub_activation WHERE source_id = :s AND delivered_at IS NULL "
                + "AND last_error IS NOT NULL ORDER BY id DESC LIMIT 1")
            .bind("s", sourceId).mapTo(String.class).findOne().orElse(null)));
  }

  /** Sends the FINISHes due now; returns how many the agents accepted. */
  int deliverDue() {
    Instant now = clock.instant();
    List<Due> claimed = db.inTransaction(h -> claim(h, now));
    int delivered = 0;
    for (Due due : claimed) {
      if (deliver(due)) {
        delivered++;
      }
    }
    return delivered;
  }

  private record Due(long id, long sourceId, long agentActivationId, int status, int attempt) {}

  /**
   * Takes due rows and moves each one's next attempt out by its backoff before sending, so another node's sweep
   * (or this one's next) does not send it at the same time, and a crash mid-send only delays it.
   */
  private List<Due> claim(Handle h, Instant now) {
    List<Due> due = h.createQuery("SELECT id, source_id, agent_activation_id, finish_status, attempts "
            + "FROM smshub_activation WHERE delivered_at IS NULL AND next_attempt_at <= :now "
            + "ORDER BY next_attempt_at LIMIT " + BATCH + " FOR UPDATE" + (db.isPostgres() ? " SKIP LOCKED" : ""))
        .bind("now", now.atOffset(ZoneOffset.UTC))
        .map((rs, ctx) -> new Due(rs.getLong("id"), rs.getLong("source_id"), rs.getLong("agent_activation_id"),
            rs.getInt("finish_status"), rs.getInt("attempts") + 1))
        .list();
    for (Due row : due) {
      h.createUpdate("UPDATE smshub_activation SET attempts = :n, next_attempt_at = :next WHERE id = :id")
          .bind("n", row.attempt()).bind("next", now.plus(backoff(row.attempt())).atOffset(ZoneOffset.UTC))
          .bind("id", row.id()).execute();
    }
    return due;
  }

  private boolean deliver(Due due) {
    try {
      Agent agent = agents.find(due.sourceId())
          .orElseThrow(() -> new Protocol.AgentException("the agent's settings are gone"));
      Protocol.requireStatus(client.send(agent, new Protocol.FinishActivation(agent, due.agentActivationId(),
          due.status()), ANSWER_TIMEOUT).join(), Protocol.SUCCESS);
      db.withHandle(h -> h.createUpdate("UPDATE smshub_activation SET delivered_at = :t, last_error = NULL WHERE id = :id")
          .bind("t", now()).bind("id", due.id()).execute());
      log.info("FINISH_ACTIVATION {} of activation {} accepted by {}", due.status(), due.agentActivationId(), agent);
      return true;
    } catch (CompletionException | Protocol.AgentException e) {
      String reason = AgentClient.reason(e);
      String error = reason.length() > 500 ? reason.substring(0, 500) : reason;
      db.withHandle(h -> h.createUpdate("UPDATE smshub_activation SET last_error = :e WHERE id = :id")
          .bind("e", error).bind("id", due.id()).execute());
      log.warn("FINISH_ACTIVATION {} of activation {} to source {} failed (attempt {}), retrying in {}: {}",
          due.status(), due.agentActivationId(), due.sourceId(), due.attempt(), backoff(due.attempt()), error);
      return false;
    }
  }

  /** The open row of the number gets the status its activation ended with; 0 when no agent's row is open on it. */
  private int schedule(Handle h, long numberId, int activationId, ActivationStatus ended) {
    return h.createUpdate("UPDATE smshub_activation SET activation_id = :a, finish_status = :s, next_attempt_at = :t "
            + "WHERE number_id = :n AND finish_status IS NULL")
        .bind("a", activationId).bind("s", FinishStatus.of(ended).code).bind("t", now()).bind("n", numberId)
        .execute();
  }

  /**
   * Schedules the open row of a number whose activation ended without its FINISH scheduled (a crash or failure
   * between the end's commit and {@link #changed}). The open row of a number belongs to the latest activation on it:
   * a later one needs a new GET_NUMBER, which comes through {@link #opened} and closes the old row first.
   */
  private void scheduleEnded(Handle h, long numberId) {
    boolean open = h.createQuery("SELECT COUNT(*) FROM smshub_activation WHERE finish_status IS NULL AND number_id = :n")
        .bind("n", numberId).mapTo(Integer.class).one() > 0;
    if (!open) {
      return;
    }
    h.createQuery("SELECT id, status FROM activation WHERE number_id = :n ORDER BY id DESC LIMIT 1")
        .bind("n", numberId)
        .map((rs, ctx) -> new Ended(rs.getInt("id"), ActivationStatus.valueOf(rs.getString("status"))))
        .findOne()
        .filter(latest -> !latest.status().isLive())
        .ifPresent(latest -> schedule(h, numberId, latest.id(), latest.status()));
  }

  private record Ended(int id, ActivationStatus status) {}

  /** 10 s after the first failure, doubling after each further one, never more than 10 minutes. */
  static Duration backoff(int attempt) {
    Duration wait = FIRST_RETRY.multipliedBy(1L << Math.min(attempt - 1, 16));
    return wait.compareTo(LONGEST_RETRY) > 0 ? LONGEST_RETRY : wait;
  }

  private OffsetDateTime now() {
    return clock.instant().atOffset(ZoneOffset.UTC);
  }
}
