package io.verigate.server.activation;

/** Told about activation events after their transaction commits (never inside it). */
public interface ActivationListener {
  default void purchased(Activation activation) {}

  default void anotherCodeRequested(Activation activation) {}

  default void changed(Activation activation) {}
}
