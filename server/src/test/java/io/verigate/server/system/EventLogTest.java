package io.verigate.server.system;

import static org.assertj.core.api.Assertions.assertThat;

import io.verigate.server.testing.TestDatabases;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The event log on the embedded database, where this node alone knows which ids are still committing. */
class EventLogTest extends EventLogContract {
  @Override
  String freshDatabase() {
    return TestDatabases.freshH2();
  }

  @Override
  void dropDatabase(String url) {}

  @Test
  void eventsStoredBeforeARestartAreReadable() {
    EventLog.Event stored = append(7, false, "activation.created", 1L);

    EventLog restarted = new EventLog(db, clock, nodeEvents);

    assertThat(restarted.after(7, false, 0, java.util.Set.of(), null, 10)).containsExactly(stored);
  }
}
