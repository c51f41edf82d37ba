package io.verigate.bench;

/** One way an SMS reaches the node: {@link #deliver} returns once the node acknowledged it. */
interface Gateway extends AutoCloseable {

  /** How the results name this path. */
  String path();

  /** The journal's source id of this path's messages. */
  long sourceId();

  /** Hands one SMS to the node; returns on its acknowledgement, throws when the node refused it. */
  void deliver(String to, String text, String messageId) throws Exception;

  @Override
  void close();
}
