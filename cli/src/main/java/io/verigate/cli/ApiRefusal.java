package io.verigate.cli;

import io.verigate.client.VerigateException;

/**
 * The REST API's refusals as sysexits codes: a script can tell "try again later" (75) from "this key may not"
 * (77) from "this request cannot succeed as it is" (65) without parsing messages.
 */
final class ApiRefusal {
  private ApiRefusal() {}

  /** The refusal as the message for stderr; a refused key also says where the key came from. */
  static OperatorFailure failure(VerigateException e, CustomerSettings settings) {
    StringBuilder message = new StringBuilder();
    if (e.status() == 401) {
      message.append("the API key from ").append(settings.keySource()).append(" was refused: ");
    }
    message.append(e.detail()).append(" (").append(e.code()).append(')');
    e.retryAfter().ifPresent(wait -> message.append("; try again in ").append(wait.toSeconds()).append(" s"));
    return new OperatorFailure(exitCode(e), message.toString());
  }

  static int exitCode(VerigateException e) {
    return switch (e.code()) {
      // a 409 like the others, but asking again later can succeed: stock comes back, the guard runs out
      case "NO_NUMBERS", "ESIM_OUT_OF_STOCK", "EARLY_CANCEL_DENIED", "IDEMPOTENCY_IN_FLIGHT" -> Main.TEMP_FAILURE;
      default -> byStatus(e.status());
    };
  }

  private static int byStatus(int status) {
    if (status == 401 || status == 403) {
      return Main.NO_PERMISSION;
    }
    if (status == 429 || status == 503) {
      return Main.TEMP_FAILURE;
    }
    return status >= 500 ? Main.INTERNAL : Main.DATA_ERROR;
  }
}
