package io.verigate.server.account;

/**
 * Who did something, and from which address, as the audit log names them: {@code admin} (the operator's token),
 * {@code customer:<id>/key:<keyId>} (a customer's API key), or {@code system} (the node itself, such as its first
 * start creating the sandbox customer). The address is the one the request came from; null for the node itself.
 */
public record Actor(String name, String clientAddress) {
  /** The node acting on its own. */
  public static final Actor SYSTEM = new Actor("system", null);

  /** The operator, through the admin token. */
  public static Actor admin(String clientAddress) {
    return new Actor("admin", clientAddress);
  }

  /** A customer, through one of its API keys. */
  public static Actor customer(Principal principal, String clientAddress) {
    return new Actor("customer:" + principal.customerId() + "/key:" + principal.keyId(), clientAddress);
  }
}
