package io.verigate.server.inbound.smshub;

import io.verigate.server.testing.TestApp;
import java.util.Map;

/** The transcript of {@link SmsHubTranscriptTest} on PostgreSQL, where the outbox claims its rows with SKIP LOCKED. */
class SmsHubTranscriptIT extends SmsHubTranscriptTest {
  @Override
  TestApp startNode(Map<String, String> overrides) {
    return TestApp.start(true, overrides, clock);
  }
}
