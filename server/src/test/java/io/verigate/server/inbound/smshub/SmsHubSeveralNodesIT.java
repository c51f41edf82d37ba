package io.verigate.server.inbound.smshub;

import static org.assertj.core.api.Assertions.assertThat;

import io.verigate.server.testing.Eventually;
import io.verigate.server.testing.TestApp;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Two nodes on one PostgreSQL database and one SIM-bank agent. Each node polls the agent's stock on its own, so a
 * move of the agent made through one node must reach the other's polling at once, through the node events, rather
 * than at its next regular poll up to 15 s later.
 */
class SmsHubSeveralNodesIT {
  private static final Duration PATIENCE = SmsHub.POLL_INTERVAL.plusSeconds(5);

  @Test
  void anAgentMovedThroughOneNodeIsPolledAtItsNewUrlByTheOtherAtOnce() {
    try (TestApp first = TestApp.startOnPostgres(Map.of());
        TestApp second = first.anotherNode(Map.of());
        AgentEmulator before = new AgentEmulator("old-key");
        AgentEmulator after = new AgentEmulator("new-key")) {
      before.stock("romania", "orange", "wa", 1);
      after.stock("romania", "orange", "wa", 2);
      first.admin("POST", "/admin/v1/sources",
          Map.of("name", "bank-two-nodes", "type", "smshub", "agentUrl", before.url(), "agentKey", "old-key"));
      Eventually.within(PATIENCE, "the second node's regular poll of the agent", () -> offered(second), n -> n == 1);

      first.admin("PATCH", "/admin/v1/sources/bank-two-nodes", Map.of("agentUrl", after.url(), "agentKey", "new-key"));

      // The second node's last regular poll was just now, so only the node event explains a poll within a third of
      // the interval.
      Eventually.within(SmsHub.POLL_INTERVAL.dividedBy(3), "the second node's poll at the new URL",
          () -> offered(second), n -> n == 2);
      assertThat(after.requests("GET_SERVICES")).isNotEmpty()
          .allSatisfy(poll -> assertThat(poll.body().get("key").asText()).isEqualTo("new-key"));
    }
  }

  /** What the agent offers as this node last polled it. */
  private static int offered(TestApp node) {
    return node.admin("GET", "/admin/v1/sources/bank-two-nodes", null).at("/agent/offered").asInt();
  }
}
