package io.verigate.server.notify;

/**
 * The open connection of one stream, as the registry writes to it. Writes only queue text and never block, so the
 * thread that fans an event out to many clients is never held by a slow one; the transport tells the stream when a
 * congested sink has drained ({@link EventStream#resume}) and when the client is gone ({@link EventStream#close}).
 */
public interface StreamSink {
  /** Queues text for the client; false when the client is gone or took too little of what was queued before. */
  boolean write(String text);

  /** Whether the client is behind enough that the stream should read no more events until it catches up. */
  boolean congested();

  /** Ends the response once what was queued has been sent. */
  void close();
}
