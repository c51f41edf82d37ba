package io.verigate.server.activation;

import java.time.Instant;

/** An activation of one kind (SMS or email) as its lifetime's rules see it: {@link Activation} holds them for both. */
public interface Lifetime<T extends Lifetime<T>> {
  /** Whether it is still live although its lifetime is over, so a sweep is to end it. */
  boolean isDue(Instant now);

  /** As it stands at {@code now}: ended as {@link #endLifetime} says when its lifetime is over, else unchanged. */
  T asOf(Instant now);

  /** Ended because its lifetime is over: finished when it had a code, otherwise expired. */
  T endLifetime(Instant now);
}
