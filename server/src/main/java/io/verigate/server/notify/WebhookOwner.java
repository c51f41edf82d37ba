package io.verigate.server.notify;

import io.verigate.server.account.Mode;
import io.verigate.server.account.Principal;

/** Whose endpoints: one customer's, in one mode. A test key's endpoints hear only the sandbox's events. */
public record WebhookOwner(long customerId, Mode mode) {
  public static WebhookOwner of(Principal principal) {
    return new WebhookOwner(principal.customerId(), principal.mode());
  }

  /** The owner of an event's endpoints, as the event log marks its mode. */
  static WebhookOwner of(long customerId, boolean test) {
    return new WebhookOwner(customerId, test ? Mode.TEST : Mode.LIVE);
  }

  /** Whether the endpoints hear sandbox events, as the event log marks them. */
  boolean test() {
    return mode == Mode.TEST;
  }
}
