package io.verigate.cli;

import java.io.IOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.nio.channels.UnresolvedAddressException;

/** A node that could not be reached, for operator and customer commands alike: exit 69 with the cause in words. */
final class Unreachable {
  private Unreachable() {}

  static OperatorFailure failure(String base, IOException e) {
    return new OperatorFailure(Main.UNAVAILABLE, "cannot reach " + base + ": " + reason(e));
  }

  /** The JDK's HttpClient reports failed connects as exceptions without messages; name the usual causes. */
  private static String reason(IOException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof UnresolvedAddressException || t instanceof UnknownHostException) {
        return "unknown host";
      }
      if (t.getMessage() != null && !t.getMessage().isBlank()) {
        return t.getMessage();
      }
    }
    return e instanceof ConnectException ? "connection refused (is the node running?)" : e.getClass().getSimpleName();
  }
}
