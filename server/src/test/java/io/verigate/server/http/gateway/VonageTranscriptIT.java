package io.verigate.server.http.gateway;

import io.verigate.server.testing.MutableClock;
import io.verigate.server.testing.TestApp;
import java.util.Map;

/**
 * The transcript of {@link VonageTranscriptTest} on PostgreSQL: the same requests, parts and sweeps, with the part
 * journal and the inbound journal in the production store.
 */
class VonageTranscriptIT extends VonageTranscriptTest {
  @Override
  TestApp startNode(MutableClock clock) {
    return TestApp.start(true, Map.of(), clock);
  }
}
