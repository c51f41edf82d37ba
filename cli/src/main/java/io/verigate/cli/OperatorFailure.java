package io.verigate.cli;

/** A failed command (operator or customer): a message for stderr and the sysexits code the process ends with. */
final class OperatorFailure extends RuntimeException {
  private final int exitCode;

  OperatorFailure(int exitCode, String message) {
    super(message, null, false, false);
    this.exitCode = exitCode;
  }

  int exitCode() {
    return exitCode;
  }
}
