package io.verigate.server.system;

/**
 * A refusal with a stable {@link ErrorCode} and a message fit to show the caller. Thrown by the core,
 * mapped by each dialect to its own error format; never a 500.
 */
public class Failure extends RuntimeException {
  private final ErrorCode code;

  public Failure(ErrorCode code, String message) {
    super(message, null, false, false);
    this.code = code;
  }

  public ErrorCode code() {
    return code;
  }
}
