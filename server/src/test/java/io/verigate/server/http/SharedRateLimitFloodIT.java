package io.verigate.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.verigate.server.testing.TestApp;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Two nodes on one PostgreSQL database, as behind a load balancer: a key's budget is one, whichever node it calls. */
class SharedRateLimitFloodIT {
  private static final int QUOTA = 20;

  @Test
  void aKeysBudgetIsSharedByEveryNodeOnTheDatabase() {
    Map<String, String> settings = Map.of("rate-limit-other", QUOTA + "/1m");
    try (TestApp first = TestApp.startOnPostgres(settings); TestApp second = first.anotherNode(settings)) {
      String key = first.sandboxCustomer().key();
      RawHttp[] nodes = {new RawHttp(first.baseUrl()), new RawHttp(second.baseUrl())};

      List<Integer> statuses = new ArrayList<>();
      for (int i = 0; i < 2 * QUOTA; i++) {
        statuses.add(nodes[i % 2].get("/api/v1/wallet/balance", "x-api-key", key).status());
      }

      assertThat(statuses.stream().filter(status -> status == 200).count()).isEqualTo(QUOTA);
      assertThat(statuses.subList(QUOTA, 2 * QUOTA)).as("once spent on one node, spent on both").containsOnly(429);
      RawHttp.Reply refused = nodes[0].get("/api/v1/wallet/balance", "x-api-key", key);
      assertThat(refused.header("Retry-After")).isNotNull();
      assertThat(refused.header("RateLimit")).startsWith("\"other\";r=0;");
    }
  }
}
