package io.verigate.server.email;

/** Hands a letter to this node's mail intake, the way a sending mail server would. */
@FunctionalInterface
public interface MailDrop {
  /** Delivers {@code raw} to {@code recipient}; returns once the intake stored it, or throws. */
  void drop(String envelopeFrom, String recipient, byte[] raw);
}
