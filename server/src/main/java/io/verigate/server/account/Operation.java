package io.verigate.server.account;

/**
 * What a request does, as the access gate sees it: every dialect names one of these for each route and the gate
 * decides from it which scope the key needs and which of the key's budgets it spends from.
 */
public enum Operation {
  /** Balance, history, listings, prices seen as the customer. */
  READ(Scope.READ, LimitClass.OTHER),
  /** One activation's state, the call clients repeat until the code lands. */
  POLL(Scope.READ, LimitClass.POLL),
  /** Buying a number. */
  BUY(Scope.BUY, LimitClass.PURCHASE),
  /** Finishing, cancelling, resending or reporting an activation: each moves money or ends a purchase. */
  CHANGE(Scope.BUY, LimitClass.OTHER),
  /** Managing the customer's own keys. */
  MANAGE_KEYS(Scope.KEYS, LimitClass.OTHER),
  /** Managing the customer's webhooks: their secrets are credentials, so the same scope as its keys. */
  MANAGE_WEBHOOKS(Scope.KEYS, LimitClass.OTHER);

  private final Scope scope;
  private final LimitClass limitClass;

  Operation(Scope scope, LimitClass limitClass) {
    this.scope = scope;
    this.limitClass = limitClass;
  }

  public Scope scope() {
    return scope;
  }

  public LimitClass limitClass() {
    return limitClass;
  }
}
