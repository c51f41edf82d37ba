package io.verigate.server.account;

import io.verigate.server.system.Database;
import io.verigate.server.system.ErrorCode;
import io.verigate.server.system.Failure;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/** Customers: created by the operator, each with its wallets. Their keys are {@link ApiKeys}. */
public final class Accounts {
  private final Database db;
  private final Clock clock;
  private final CustomerSetup setup;
  private final Audit audit;

  /** What else a new customer needs, written in the transaction that creates it (its wallets). */
  public interface CustomerSetup {
    void created(Handle h, long customerId);
  }

  public Accounts(Database db, Clock clock, CustomerSetup setup, Audit audit) {
    this.db = db;
    this.clock = clock;
    this.setup = setup;
    this.audit = audit;
  }

  public record Customer(long id, String name, Instant createdAt) {}

  public Customer createCustomer(Actor actor, String name) {
    if (name == null || name.isBlank() || name.length() > 200) {
      throw new Failure(ErrorCode.BAD_REQUEST, "name is required (at most 200 characters)");
    }
    OffsetDateTime now = OffsetDateTime.now(clock);
    long id = db.inTransaction(h -> insert(h, actor, name, now));
    return new Customer(id, name.trim(), now.toInstant());
  }

  /** Creates a customer, with its wallets, inside the caller's transaction (a sign-up writes its log-in with it). */
  long insert(Handle h, Actor actor, String name, OffsetDateTime now) {
    long created = h.createUpdate("INSERT INTO customer (name, created_at) VALUES (:n, :t)")
        .bind("n", name.trim()).bind("t", now)
        .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
    setup.created(h, created);
    audit.record(h, new AuditEntry(actor, AuditAction.CUSTOMER_CREATED, "customer:" + created, Map.of("name", name.trim())));
    return created;
  }

  public Optional<Customer> customer(long id) {
    return db.withHandle(h -> h.createQuery("SELECT id, name, created_at FROM customer WHERE id = :id")
        .bind("id", id)
        .map((rs, ctx) -> new Customer(rs.getLong("id"), rs.getString("name"),
            rs.getObject("created_at", OffsetDateTime.class).toInstant()))
        .findOne());
  }

  /** The id of a customer that exists; NOT_FOUND otherwise. */
  public long existing(long id) {
    return customer(id).map(Customer::id).orElseThrow(() -> new Failure(ErrorCode.NOT_FOUND, "no customer with id " + id));
  }

  public List<Customer> customers() {
    return db.withHandle(h -> h.createQuery("SELECT id, name, created_at FROM customer ORDER BY id")
        .map((rs, ctx) -> new Customer(rs.getLong("id"), rs.getString("name"),
            rs.getObject("created_at", OffsetDateTime.class).toInstant()))
        .list());
  }
}
