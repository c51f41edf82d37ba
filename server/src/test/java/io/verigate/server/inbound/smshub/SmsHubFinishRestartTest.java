package io.verigate.server.inbound.smshub;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.verigate.client.BuyRequest;
import io.verigate.client.VerigateClient;
import io.verigate.server.system.Outbox;
import io.verigate.server.testing.Eventually;
import io.verigate.server.testing.MutableClock;
import io.verigate.server.testing.TestApp;
import io.verigate.server.testing.TestNumbers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A FINISH_ACTIVATION is an outbox item written with the activation's end: it outlives the node that committed the
 * end, and an agent that never accepts it leaves it dead where the operator sees it and can send it again.
 */
class SmsHubFinishRestartTest {
  private static final Duration PATIENCE = Duration.ofSeconds(15);
  /** Both runs of the node seal the agent's key with one master key, as an operator's restarts do. */
  private static final Map<String, String> NODE = Map.of("master-key", Base64.getEncoder()
      .encodeToString("restart-test-master-key-32-bytes".getBytes(StandardCharsets.US_ASCII)));
  private final MutableClock clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.MILLIS));

  @Test
  void aFinishTheAgentRefusedIsSentByTheRestartedNodeThenDiesAfterItsScheduleAndIsRetriedByTheOperator() {
    try (AgentEmulator agent = new AgentEmulator("restart-key")) {
      long number = Long.parseLong(TestNumbers.withLastFour("CZ", 4711).substring(1));
      agent.stock("czech", "any", "wa", 1).offer(number);
      agent.failFinishes(Integer.MAX_VALUE);
      TestApp first = TestApp.start(false, NODE, clock);
      long item;
      try {
        first.admin("POST", "/admin/v1/sources", Map.of("name", "bank-restart", "type", "smshub",
            "agentUrl", agent.url(), "agentKey", agent.key()));
        first.app().smsHub().pollStock();
        VerigateClient buyer = VerigateClient.create(first.baseUrl(), first.liveCustomer("1.00").key());
        int id = buyer.buy(BuyRequest.of("wa", "cz")).id();
        clock.advance(Duration.ofMinutes(3)); // past the early-cancel guard
        assertThat(buyer.cancel(id).status()).isEqualTo("CANCELED");
        Eventually.within(PATIENCE, "the first, refused FINISH", () -> agent.requests("FINISH_ACTIVATION").size(),
            n -> n == 1);
        item = Eventually.within(PATIENCE, "its failure recorded", () -> finishItem(first, "pending"),
            pending -> pending != null && pending.path("lastError").asText().contains("503")).get("id").asLong();
      } finally {
        first.close();
      }

      try (TestApp restarted = first.anotherNode(NODE, clock)) {
        Outbox outbox = restarted.app().outbox();
        clock.advance(FinishRelay.FIRST_RETRY.multipliedBy(2));
        outbox.runDue();
        settled(outbox, item, 2);
        assertThat(agent.requests("FINISH_ACTIVATION")).as("sent again by the node that restarted").hasSize(2)
            .allSatisfy(finish -> assertThat(finish.body().get("status").asInt()).isEqualTo(4));

        for (int attempt = 3; attempt <= FinishRelay.SCHEDULE.delays().size() + 1; attempt++) {
          // The node's own runner may be making this attempt: the clock moves on only once it is recorded, or the
          // lease would end under it.
          settled(outbox, item, attempt - 1);
          clock.advance(FinishRelay.LONGEST_RETRY.multipliedBy(2));
          outbox.runDue();
        }
        settled(outbox, item, FinishRelay.SCHEDULE.delays().size() + 1);
        JsonNode dead = finishItem(restarted, "dead");
        assertThat(dead).as("dead once its schedule ran out").isNotNull();
        assertThat(dead.get("attempts").asInt()).isEqualTo(FinishRelay.SCHEDULE.delays().size() + 1);
        assertThat(dead.get("lastError").asText()).contains("503");
        assertThat(agent.requests("FINISH_ACTIVATION")).hasSize(FinishRelay.SCHEDULE.delays().size() + 1);
        assertThat(restarted.admin("GET", "/admin/v1/sources/bank-restart", null).at("/agent/finishesPending").asInt())
            .isZero();

        agent.failFinishes(0);
        restarted.admin("POST", "/admin/v1/outbox/" + dead.get("id").asLong() + "/retry", null);
        Eventually.within(PATIENCE, "the operator's retry accepted", () -> finishItem(restarted, "done"),
            done -> done != null);
        assertThat(agent.requests("FINISH_ACTIVATION").get(0).body().get("activationId").asLong())
            .isEqualTo(agent.activationIdOf(number));
        JsonNode audited = restarted.admin("GET", "/admin/v1/audit?action=outbox.retried&limit=1", null).at("/items/0");
        assertThat(audited.get("subject").asText()).isEqualTo("outbox:" + dead.get("id").asLong());
        assertThat(audited.at("/detail/kind").asText()).isEqualTo(FinishRelay.KIND);
        assertThat(audited.at("/detail/was").asText()).isEqualTo("dead");
      }
    }
  }

  /** Waits until the item's attempt number {@code attempts} has its outcome recorded. */
  private void settled(Outbox outbox, long id, int attempts) {
    Eventually.within(PATIENCE, "attempt " + attempts + " recorded", () -> outbox.find(id).orElseThrow(),
        item -> item.attempts() == attempts && (item.state() != Outbox.State.PENDING
            || !item.dueAt().equals(clock.instant().truncatedTo(ChronoUnit.MICROS).plus(Outbox.LEASE))));
  }

  /** The newest FINISH item in a state, as the operator's outbox route shows it; null when there is none. */
  private static JsonNode finishItem(TestApp node, String state) {
    JsonNode items = node.admin("GET", "/admin/v1/outbox?state=" + state + "&kind=" + FinishRelay.KIND, null)
        .get("items");
    return items.isEmpty() ? null : items.get(0);
  }
}
