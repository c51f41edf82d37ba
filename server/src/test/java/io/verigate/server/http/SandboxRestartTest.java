package io.verigate.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.verigate.client.Activation;
import io.verigate.client.BuyRequest;
import io.verigate.client.VerigateClient;
import io.verigate.server.testing.TestApp;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A sandbox delivery is an outbox item, not a timer in one process: a node that restarts still sends it. */
class SandboxRestartTest {
  private static final Map<String, String> SLOWER_DELIVERY = Map.of("sandbox-delivery-delay", "2s");

  @Test
  void theSmsOfAPurchaseArrivesThoughTheNodeRestartedBeforeItWasDue() throws Exception {
    TestApp first = TestApp.start(SLOWER_DELIVERY);
    String key = first.sandboxKey();
    int id;
    try {
      id = VerigateClient.create(first.baseUrl(), key).buy(
BuyRequest.of("wa", "us")).id();
    } finally {
      first.close();
    }

    try (TestApp restarted = first.anotherNode(SLOWER_DELIVERY)) {
      Activation delivered = VerigateClient.create(restarted.baseUrl(), key).awaitCode(id, Duration.ofSeconds(20));

      assertThat(delivered.code()).isNotBlank();
    }
  }
}
