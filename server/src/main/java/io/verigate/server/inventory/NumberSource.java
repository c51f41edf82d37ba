package io.verigate.server.inventory;

import java.time.Instant;

/** Where numbers and their messages come from: a gateway, a SIM bank, a CPaaS account, the sandbox. */
public record NumberSource(long id, String name, String type) {
  /** A phone running SMS Gateway for Android that posts signed {@code sms:received} webhooks. */
  public static final String ANDROID = "android";
  /** A Twilio account whose numbers post signed inbound-message webhooks. */
  public static final String TWILIO = "twilio";
  /** An SMSC Verigate binds to as an ESME, receiving SMS as deliver_sm (see inbound.smpp). */
  public static final String SMPP = "smpp";
  /** A SIM bank speaking the SMSHub agent protocol: it holds the numbers and is asked for one per purchase. */
  public static final String SMSHUB = "smshub";

  /**
   * How a source is doing: its last journaled message, how many it delivered, how many were repeats of
   * one already stored, and how many requests were refused (bad signature, stale timestamp, bad payload)
   * with the latest reason.
   */
  public record Health(Instant lastMessageAt, long messages, long duplicates, long rejected, String lastError,
      Instant lastErrorAt) {}
}
