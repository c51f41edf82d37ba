package io.verigate.server.http.gateway;

import io.verigate.server.testing.TestApp;
import java.util.Map;

/** The transcript of {@link AndroidGatewayTranscriptTest} on PostgreSQL: the same requests and answers, the production store. */
class AndroidGatewayTranscriptIT extends AndroidGatewayTranscriptTest {
  @Override
  TestApp startNode() {
    return TestApp.startOnPostgres(Map.of());
  }
}
