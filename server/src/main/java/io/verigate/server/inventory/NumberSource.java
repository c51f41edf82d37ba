package io.verigate.server.inventory;

import java.time.Instant;
import java.util.List;

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
  /** Another provider (a Verigate, an sms-activate-compatible one, 5sim) whose numbers are resold (see upstream). */
  public static final String UPSTREAM = "upstream";
  /** A Vonage (Nexmo) account whose numbers call the SMS API's inbound webhook, signed if the account asked for it. */
  public static final String VONAGE = "vonage";
  /**
   * How a Vonage account signs its webhooks: {@code md5hash} (Vonage's default) is the MD5 of the parameters followed
   * by the signature secret; the others are HMACs keyed with the secret.
   */
  public static final List<String> VONAGE_SIGNATURE_METHODS = List.of("md5hash", "md5", "sha1", "sha256", "sha512");

  /**
   * How a source is doing: its last journaled message, how many it delivered, how many were repeats of
   * one already stored, and how many requests were refused (bad signature, stale timestamp, bad payload, a number of
   * another source) with the latest reason.
   */
  public record Health(Instant lastMessageAt, long messages, long duplicates, long rejected, String lastError,
      Instant lastErrorAt) {}
}
