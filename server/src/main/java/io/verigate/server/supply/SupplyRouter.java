package io.verigate.server.supply;

import io.verigate.server.account.Mode;
import io.verigate.server.inventory.Inventory;
import io.verigate.server.inventory.ReservedNumber;
import io.verigate.server.system.Database;
import io.verigate.server.system.ErrorCode;
import io.verigate.server.system.Failure;
import io.verigate.server.wallet.Wallets;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/**
 * The one place that decides where a purchase's number comes from, and that draws the purchase's transaction
 * boundaries around it. Live purchases try the operator's own numbers first (a row lock, no wait), then each remote
 * supplier in turn (SIM-bank agents, then upstream providers); test purchases get a sandbox number.
 *
 * <p>A remote supplier is asked before the purchase transaction opens, so no pooled connection or lock is held while
 * it answers; the number it hands out then goes into a short transaction of its own, and back to the supplier if
 * that transaction does not commit (no balance, a lost race, a crash of the statement).
 */
public final class SupplyRouter {
  private final Database db;
  private final Wallets wallets;
  private final LocalSupply ownNumbers;
  private final List<RemoteSupplier> remotes;
  private final LocalSupply sandbox;

  /** The rest of a purchase, done in its transaction once a number is reserved. */
  @FunctionalInterface
  public interface Purchase<T> {
    T complete(Handle h, ReservedNumber number);
  }

  /**
   * A live purchase that can lock one of the operator's own numbers in the very statement that writes it (see
   * {@link LocalSupply#claim}), so that the whole purchase is one round trip.
   */
  @FunctionalInterface
  public interface OneStatement<T> {
    Attempt<T> purchase(Inventory.Claim claim);
  }

  /**
   * What a {@link OneStatement} purchase did: bought, or found no own number free (the router goes on to the remote
   * suppliers), or neither, having written nothing (the router reserves the number in a transaction of the usual
   * shape, which can wait for what the single statement skipped).
   */
  public record Attempt<T>(Optional<T> bought, boolean ownStockEmpty) {
    public static <T> Attempt<T> bought(T bought) {
      return new Attempt<>(Optional.of(bought), false);
    }

    public static <T> Attempt<T> noOwnNumber() {
      return new Attempt<>(Optional.empty(), true);
    }

    public static <T> Attempt<T> undecided() {
      return new Attempt<>(Optional.empty(), false);
    }
  }

  public SupplyRouter(Database db, Wallets wallets, LocalSupply ownNumbers, List<RemoteSupplier> remotes,
      LocalSupply sandbox) {
    this.db = db;
    this.wallets = wallets;
    this.ownNumbers = ownNumbers;
    this.remotes = List.copyOf(remotes);
    this.sandbox = sandbox;
  }

  /** Completes the purchase with the first number a supply has; empty when none has one. */
  public <T> Optional<T> purchase(SupplyRequest request, Purchase<T> purchase) {
    return purchase(request, purchase, null);
  }

  /**
   * {@link #purchase(SupplyRequest, Purchase)}, trying the operator's own numbers first in one statement when
   * {@code oneStatement} is not null.
   */
  public <T> Optional<T> purchase(SupplyRequest request, Purchase<T> purchase, OneStatement<T> oneStatement) {
    if (request.mode() == Mode.TEST) {
      return db.inTransaction(h -> sandbox.reserve(h, request).map(number -> purchase.complete(h, number)));
    }
    Attempt<T> attempt = oneStatement == null ? Attempt.undecided()
        : ownNumbers.claim(request).map(oneStatement::purchase).orElse(Attempt.undecided());
    if (attempt.bought().isPresent()) {
      return attempt.bought();
    }
    if (!attempt.ownStockEmpty()) {
      Optional<T> fromStock = db.inTransaction(h -> ownNumbers.reserve(h, request)
          .map(number -> purchase.complete(h, number)));
      if (fromStock.isPresent()) {
        return fromStock;
      }
    }
    for (RemoteSupplier remote : remotes) {
      if (remote.mayHave(request)) {
        requireFunds(request);
        Optional<T> bought = remote.handOut(request).flatMap(number -> complete(number, purchase));
        if (bought.isPresent()) {
          return bought;
        }
      }
    }
    return Optional.empty();
  }

  /**
   * A supplier is asked only for purchases the customer can pay, with a shard of the wallet ready to pay it: a number
   * handed out and given back costs it (an SMSHub agent may offer a number for a service only four times). The
   * purchase still takes the money atomically.
   */
  private void requireFunds(SupplyRequest request) {
    if (!wallets.makeRoom(request.customerId(), request.mode(), request.price())) {
      throw new Failure(ErrorCode.NO_BALANCE, "available balance is below the price " + request.price());
    }
  }

  private <T> Optional<T> complete(SuppliedNumber supplied, Purchase<T> purchase) {
    Optional<T> bought;
    try {
      bought = db.inTransaction(h -> supplied.takeIn(h).map(number -> purchase.complete(h, number)));
    } catch (RuntimeException e) {
      supplied.giveBack("the purchase did not complete");
      throw e;
    }
    if (bought.isEmpty()) {
      supplied.giveBack("the number belongs to another source or is in use");
    }
    return bought;
  }
}
