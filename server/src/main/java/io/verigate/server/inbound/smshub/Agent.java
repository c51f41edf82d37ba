package io.verigate.server.inbound.smshub;

import java.net.URI;

/** An SMSHub agent as the hub talks to it: its number source, where it answers, and the protocol key of both sides. */
record Agent(long sourceId, String name, URI url, String key) {

  /** Names the agent without its key, since agents end up in logs. */
  @Override
  public String toString() {
    return "agent " + name;
  }
}
