package io.verigate.server.http.gateway;

import io.verigate.server.testing.TestApp;
import java.util.Map;

/** The transcript of {@link TwilioTranscriptTest} on PostgreSQL: the same requests and answers, the production store. */
class TwilioTranscriptIT extends TwilioTranscriptTest {
  @Override
  TestApp startNode() {
    return TestApp.startOnPostgres(Map.of());
  }
}
