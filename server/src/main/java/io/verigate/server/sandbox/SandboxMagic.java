package io.verigate.server.sandbox;

/**
 * Operator names that make the sandbox misbehave on purpose, so customers can test their error paths.
 * They are documented in the README; keep the two in step.
 */
public final class SandboxMagic {
  /** The purchase fails with "no numbers". */
  public static final String NO_NUMBERS = "nonumbers";
  /** A number is sold but no code ever arrives; the activation expires and is refunded. */
  public static final String NO_CODE = "nocode";
  /** The code arrives after the slow delay instead of the normal one. */
  public static final String SLOW = "slow";

  private SandboxMagic() {}
}
