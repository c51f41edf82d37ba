package io.verigate.server.inventory;

import io.verigate.server.account.Actor;
import io.verigate.server.account.Audit;
import io.verigate.server.account.AuditAction;
import io.verigate.server.account.AuditEntry;
import io.verigate.server.account.Mode;
import io.verigate.server.system.Database;
import io.verigate.server.system.ErrorCode;
import io.verigate.server.system.Failure;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

/**
 * The numbers Verigate can sell and which number served which service; the sources they come from are
 * {@link NumberSources}. Allocation never returns a number that is leased to a live activation, was already used
 * for the service, or was reported banned for it.
 */
public final class Inventory {
  private final Database db;
  private final Clock clock;
  private final Audit audit;
  private final AllocationCursors cursors = new AllocationCursors();
  private static final String TEST_NUMBER_SAVEPOINT = "test_number";
  private final List<RemoteStock> remoteStocks = new java.util.concurrent.CopyOnWriteArrayList<>();

  public Inventory(Database db, Clock clock, Audit audit) {
    this.db = db;
    this.clock = clock;
    this.audit = audit;
  }

  /**
   * Numbers held outside the inventory that a live purchase can still get, such as the SIM banks of SMSHub agents.
   * Live availability adds them to the inventory's own free numbers.
   */
  public interface RemoteStock {
    /** Numbers per country (ISO) that could serve the service now. */
    Map<String, Integer> availability(String service);

    /** Numbers per service in one country (ISO). */
    Map<String, Integer> inCountry(String countryIso);
  }

  public void addRemoteStock(RemoteStock stock) {
    remoteStocks.add(stock);
  }

  public record ImportResult(int added, int duplicates, List<String> rejected) {}

  /**
   * Adds live numbers to a source. Each raw number is normalised to E.164 and its country derived from it;
   * unparseable numbers are reported back, numbers already known are counted as duplicates.
   */
  public ImportResult importNumbers(Actor actor, String sourceName, String operator, List<String> rawNumbers) {
    String op = normaliseOperator(operator);
    return db.inTransaction(h -> {
      NumberSource source = NumberSources.byName(h, sourceName)
          .orElseThrow(() -> new Failure(ErrorCode.NOT_FOUND, "no number source named " + sourceName));
      int added = 0;
      int duplicates = 0;
      List<String> rejected = new ArrayList<>();
      for (String raw : rawNumbers) {
        Optional<PhoneNumbers.Parsed> parsed = PhoneNumbers.parse(raw);
        if (parsed.isEmpty()) {
          rejected.add(raw);
        } else if (numberId(h, parsed.get().e164()).isPresent()) {
          duplicates++;
        } else {
          insertNumber(h, parsed.get().e164(), parsed.get().countryIso(), op, source.id(), Mode.LIVE);
          added++;
        }
      }
      audit.record(h, new AuditEntry(actor, AuditAction.NUMBERS_IMPORTED, NumberSources.auditSubject(source.name()),
          Map.of("operator", op, "added", added, "duplicates", duplicates, "rejected", rejected.size())));
      return new ImportResult(added, duplicates, rejected);
    });
  }

  /** Whether the number is in the inventory under a source other than this one, read in the caller's transaction. */
  /**
   * Imports numbers from CSV text: one number per line, optionally {@code number,operator} ({@code defaultOperator}
   * otherwise); a header line starting with a letter is skipped. Each operator's numbers are one import.
   */
  public ImportResult importCsv(Actor actor, String sourceName, String defaultOperator, String csv) {
    Map<String, List<String>> byOperator = new LinkedHashMap<>();
    for (String line : csv.split("\\R")) {
      String trimmed = line.trim();
      if (trimmed.isEmpty() || Character.isLetter(trimmed.charAt(0))) {
        continue;
      }
      String[] parts = trimmed.split(",", -1);
      String operator = parts.length > 1 && !parts[1].isBlank() ? parts[1].trim() : defaultOperator;
      byOperator.computeIfAbsent(normaliseOperator(operator), k -> new ArrayList<>()).add(parts[0].trim());
    }
    int added = 0;
    int duplicates = 0;
    List<String> rejected = new ArrayList<>();
    for (Map.Entry<String, List<String>> group : byOperator.entrySet()) {
      ImportResult result = importNumbers(actor, sourceName, group.getKey(), group.getValue());
      added += result.added();
      duplicates += result.duplicates();
      rejected.addAll(result.rejected());
    }
    return new ImportResult(added, duplicates, rejected);
  }

  public static boolean ownedByAnotherSource(Handle h, String e164, long sourceId) {
    return h.createQuery("SELECT COUNT(*) FROM phone_number WHERE e164 = :e AND source_id <> :s")
        .bind("e", e164).bind("s", sourceId).mapTo(Integer.class).one() > 0;
  }

  /**
   * Inserts a sandbox number (test mode) inside the caller's transaction; empty when another purchase holds the same
   * number already. Sandbox numbers are random draws, and two concurrent purchases can draw the same one: the insert
   * runs under a savepoint so that the clash leaves the caller's transaction usable for another draw.
   */
  public Optional<ReservedNumber> addTestNumber(Handle h, String e164, String countryIso, String operator,
      long sourceId) {
    // Uncommitted until the purchase commits, so no other buyer can see it: no lock needed.
    h.savepoint(TEST_NUMBER_SAVEPOINT);
    try {
      long id = insertNumber(h, e164, countryIso, operator, sourceId, Mode.TEST);
      h.releaseSavepoint(TEST_NUMBER_SAVEPOINT);
      return Optional.of(new ReservedNumber(id, e164, countryIso, operator));
    } catch (UnableToExecuteStatementException e) {
      if (!Database.violatesUnique(e)) {
        throw e;
      }
      h.rollbackToSavepoint(TEST_NUMBER_SAVEPOINT);
      return Optional.empty();
    }
  }

  /**
   * Takes in a number an outside supplier (an SMSHub agent) just handed over for a live purchase, inside the
   * purchase's transaction: added on first sight, found again when the same source hands it over later. It is
   * stored disabled, so the inventory never offers it on its own: only its supplier knows whether it is free.
   * Empty when the number belongs to another source or is leased to a live activation.
   */
  public Optional<ReservedNumber> addSuppliedNumber(Handle h, String e164, String countryIso, String operator,
      long sourceId) {
    Optional<ReservedNumber> known = h.createQuery("SELECT id, e164, country, operator FROM phone_number "
            + "WHERE e164 = :e AND source_id = :s AND mode = :mode AND active_activation_id IS NULL FOR UPDATE")
        .bind("e", e164).bind("s", sourceId).bind("mode", Mode.LIVE.sqlName())
        .map((rs, ctx) -> new ReservedNumber(rs.getLong("id"), rs.getString("e164"), rs.getString("country"),
            rs.getString("operator")))
        .findOne();
    if (known.isPresent() || numberId(h, e164).isPresent()) {
      return known;
    }
    long id = insertNumber(h, e164, countryIso, operator, sourceId, Mode.LIVE);
    h.createUpdate("UPDATE phone_number SET enabled = FALSE WHERE id = :id").bind("id", id).execute();
    return Optional.of(new ReservedNumber(id, e164, countryIso, operator));
  }

  /**
   * Locks one free number of this country (and operator, unless {@code any}) that has never served the
   * service and does not start with any excluded prefix: the one that arrived first, on PostgreSQL first past the
   * last one sold for the service ({@link AllocationCursors}). On PostgreSQL concurrent buyers skip each other's
   * locked rows instead of queueing behind them. The order (created_at, id) is one only the partial index of free
   * numbers serves, so the scan never walks the numbers already sold.
   */
  public Optional<ReservedNumber> reserve(Handle h, Mode mode, String countryIso, String operator, String service,
      List<String> excludedPrefixes) {
    Claim claim = claim(mode, countryIso, operator, service, excludedPrefixes);
    return h.createQuery(claim.sql()).bindMap(claim.parameters()).map((rs, ctx) -> {
      claim.claimed(h, rs.getLong("id"), rs.getObject("created_at", OffsetDateTime.class));
      return new ReservedNumber(rs.getLong("id"), rs.getString("e164"), rs.getString("country"),
          rs.getString("operator"));
    }).findOne();
  }

  /**
   * The query of {@link #reserve} with its parameters, for a statement that locks the number and writes its purchase
   * at once: it selects {@code id, e164, country, operator, created_at} and binds {@code :mode, :country, :service,
   * :operator}, {@code :prefixN} and the cursor's {@code :pastAt, :pastId}. The statement tells {@link #claimed}
   * which numbers it took.
   *
   * @param locking the query locking up to that many numbers, in the order it would sell them
   */
  public record Claim(IntFunction<String> locking, Map<String, Object> parameters,
      Consumer<AllocationCursors.Position> taken) {
    /** The query locking one number. */
    public String sql() {
      return locking.apply(1);
    }

    /**
     * What the query searches, whatever its cursor: two claims with the same key lock from the same numbers, so one
     * statement may lock numbers for both.
     */
    public Map<String, Object> key() {
      Map<String, Object> key = new HashMap<>(parameters);
      key.remove("pastAt");
      key.remove("pastId");
      return key;
    }

    /**
     * The statement took this number in {@code h}'s transaction: once that commits, the next search for the service
     * starts past it. A purchase that rolls back (its wallet had to spread its money first, say) moves nothing, so
     * its retry finds the same number.
     */
    public void claimed(Handle h, long id, OffsetDateTime createdAt) {
      h.afterCommit(() -> taken.accept(new AllocationCursors.Position(createdAt, id)));
    }
  }

  /** How {@link #reserve} would lock a number with these arguments, as a query to embed. */
  public Claim claim(Mode mode, String countryIso, String operator, String service, List<String> excludedPrefixes) {
    Optional<AllocationCursors.Position> past = db.isPostgres() ? cursors.of(mode, countryIso, service)
        : Optional.empty();
    boolean postgres = db.isPostgres();
    IntFunction<String> locking = past.isEmpty()
        ? numbers -> allocation(operator, excludedPrefixes.size(), postgres, "", numbers)
        : numbers -> allocationPastCursor(operator, excludedPrefixes.size(), numbers);
    Map<String, Object> parameters = new HashMap<>();
    parameters.put("mode", mode.sqlName());
    parameters.put("country", countryIso);
    parameters.put("service", service);
    parameters.put("operator", operator);
    for (int i = 0; i < excludedPrefixes.size(); i++) {
      parameters.put("prefix" + i, "+" + excludedPrefixes.get(i) + "%");
    }
    past.ifPresent(position -> {
      parameters.put("pastAt", position.createdAt());
      parameters.put("pastId", position.id());
    });
    return new Claim(locking, Collections.unmodifiableMap(parameters),
        position -> cursors.moveTo(mode, countryIso, service, position));
  }

  /** The allocation query, with {@code :mode, :country, :service, :operator, :prefixN} to bind. */
  static String allocation(String operator, int excludedPrefixes, boolean postgres) {
    return allocation(operator, excludedPrefixes, postgres, "", 1);
  }

  /**
   * The PostgreSQL allocation query that searches past the cursor {@code (:pastAt, :pastId)} first and, only when it
   * found nothing there, from the start.
   */
  static String allocationPastCursor(String operator, int excludedPrefixes) {
    return allocationPastCursor(operator, excludedPrefixes, 1);
  }

  private static String allocationPastCursor(String operator, int excludedPrefixes, int numbers) {
    return "WITH past_cursor AS MATERIALIZED ("
        + allocation(operator, excludedPrefixes, true, " AND (p.created_at, p.id) > (:pastAt, :pastId)", numbers)
        + "), from_start AS MATERIALIZED ("
        + allocation(operator, excludedPrefixes, true, " AND NOT EXISTS (SELECT 1 FROM past_cursor)", numbers)
        + ") SELECT * FROM past_cursor UNION ALL SELECT * FROM from_start";
  }

  /**
   * Locks up to {@code numbers} numbers. The count is written into the text, not bound: PostgreSQL plans a generic
   * plan's {@code LIMIT $n} as if it fetched a tenth of all rows, which could trade the ordered index scan for a sort.
   */
  private static String allocation(String operator, int excludedPrefixes, boolean postgres, String alsoWhere,
      int numbers) {
    // PostgreSQL turns a plain NOT EXISTS into an anti-join and, while number_use looks small to its statistics (a
    // fresh node, or a plan cached before the purchases came), reads the service's whole use history into memory for
    // every allocation: each purchase then costs more than the one before. OFFSET 0 keeps the check a subplan, one
    // probe of number_use's primary key per candidate number, however large the history grows.
    StringBuilder sql = new StringBuilder(
        "SELECT id, e164, country, operator, created_at FROM phone_number p WHERE p.mode = :mode "
            + "AND p.country = :country AND p.active_activation_id IS NULL AND p.enabled "
            + "AND NOT EXISTS (SELECT 1 FROM number_use u WHERE u.number_id = p.id AND u.service = :service"
            + (postgres ? " OFFSET 0)" : ")"));
    if (!"any".equals(operator)) {
      sql.append(" AND p.operator = :operator");
    }
    for (int i = 0; i < excludedPrefixes; i++) {
      sql.append(" AND p.e164 NOT LIKE :prefix").append(i);
    }
    sql.append(alsoWhere);
    sql.append(" ORDER BY p.created_at, p.id LIMIT ").append(numbers).append(" FOR UPDATE");
    if (postgres) {
      sql.append(" SKIP LOCKED");
    }
    return sql.toString();
  }

  /**
   * Leases the reserved number to the activation and records its (first or repeated) use for the service; a ban mark
   * stays as it was. On PostgreSQL both are one statement, a round trip less for every purchase.
   */
  public void lease(Handle h, long numberId, int activationId, String service) {
    String lease = "UPDATE phone_number SET active_activation_id = :a WHERE id = :n AND active_activation_id IS NULL";
    OffsetDateTime now = OffsetDateTime.now(clock);
    if (db.isPostgres()) {
      requireLeased(numberId, h.createUpdate("WITH leased AS (" + lease + " RETURNING id) "
              + "INSERT INTO number_use (number_id, service, activation_id, used_at) SELECT id, :s, :a, :t FROM leased "
              + "ON CONFLICT (number_id, service) DO UPDATE "
              + "SET activation_id = EXCLUDED.activation_id, used_at = EXCLUDED.used_at")
          .bind("a", activationId).bind("n", numberId).bind("s", service).bind("t", now).execute());
    } else {
      requireLeased(numberId, h.createUpdate(lease).bind("a", activationId).bind("n", numberId).execute());
      h.createUpdate("MERGE INTO number_use (number_id, service, activation_id, used_at) KEY (number_id, service) "
              + "VALUES (:n, :s, :a, :t)")
          .bind("n", numberId).bind("s", service).bind("a", activationId).bind("t", now).execute();
    }
  }

  private static void requireLeased(long numberId, int leased) {
    if (leased != 1) {
      throw new IllegalStateException("number " + numberId + " was leased while reserved");
    }
  }

  public void release(Handle h, long numberId, int activationId) {
    h.createUpdate("UPDATE phone_number SET active_activation_id = NULL WHERE id = :n AND active_activation_id = :a")
        .bind("n", numberId).bind("a", activationId).execute();
  }

  public void banForService(Handle h, long numberId, String service) {
    h.createUpdate("UPDATE number_use SET banned = TRUE WHERE number_id = :n AND service = :s")
        .bind("n", numberId).bind("s", service).execute();
  }

  /** Free numbers per country (ISO) that could serve {@code service} now, for one mode; live ones include remote stock. */
  public Map<String, Integer> availability(Mode mode, String service) {
    Map<String, Integer> free = db.withHandle(h -> h.createQuery("SELECT country, COUNT(*) AS n FROM phone_number p "
            + "WHERE p.mode = :mode "
            + "AND p.active_activation_id IS NULL AND p.enabled "
            + "AND NOT EXISTS (SELECT 1 FROM number_use u WHERE u.number_id = p.id AND u.service = :service) "
            + "GROUP BY country")
        .bind("mode", mode.sqlName()).bind("service", service)
        .reduceRows(new java.util.HashMap<String, Integer>(), (acc, row) -> {
          acc.put(row.getColumn("country", String.class), row.getColumn("n", Integer.class));
          return acc;
        }));
    if (mode == Mode.LIVE) {
      remoteStocks.forEach(remote -> remote.availability(service).forEach((iso, n) -> free.merge(iso, n, Integer::sum)));
    }
    return free;
  }

  /** The operators of the enabled numbers of one mode, per country (ISO), each list sorted. */
  public Map<String, List<String>> operators(Mode mode) {
    return db.withHandle(h -> h.createQuery("SELECT DISTINCT country, operator FROM phone_number "
            + "WHERE mode = :mode AND enabled ORDER BY country, operator")
        .bind("mode", mode.sqlName())
        .reduceRows(new java.util.TreeMap<String, List<String>>(), (acc, row) -> {
          acc.computeIfAbsent(row.getColumn("country", String.class), c -> new ArrayList<>())
              .add(row.getColumn("operator", String.class));
          return acc;
        }));
  }

  /** Free numbers in one country, how many of them each service has already used, and remote stock per service. */
  public record CountryStock(int free, Map<String, Integer> usedByService, Map<String, Integer> remoteByService) {
    public int availableFor(String service) {
      return free - usedByService.getOrDefault(service, 0) + remoteByService.getOrDefault(service, 0);
    }
  }

  public CountryStock stockIn(Mode mode, String countryIso) {
    return db.withHandle(h -> {
      String free = "FROM phone_number p WHERE p.mode = :mode AND p.country = :country "
          + "AND p.active_activation_id IS NULL AND p.enabled";
      int total = h.createQuery("SELECT COUNT(*) " + free)
          .bind("mode", mode.sqlName()).bind("country", countryIso).mapTo(Integer.class).one();
      Map<String, Integer> used = h.createQuery("SELECT u.service, COUNT(*) AS n " + free.replace("FROM phone_number p",
              "FROM phone_number p JOIN number_use u ON u.number_id = p.id") + " GROUP BY u.service")
          .bind("mode", mode.sqlName()).bind("country", countryIso)
          .reduceRows(new java.util.HashMap<String, Integer>(), (acc, row) -> {
            acc.put(row.getColumn("service", String.class), row.getColumn("n", Integer.class));
            return acc;
          });
      return new CountryStock(total, used, mode == Mode.LIVE ? remoteStockIn(countryIso) : Map.of());
    });
  }

  private Map<String, Integer> remoteStockIn(String countryIso) {
    Map<String, Integer> byService = new java.util.HashMap<>();
    remoteStocks.forEach(remote -> remote.inCountry(countryIso)
        .forEach((service, n) -> byService.merge(service, n, Integer::sum)));
    return byService;
  }

  /**
   * Locks a number again for a customer who already used it for this service (sms-activate's
   * getExtraActivation, 5sim's reuse): only when it is free now and was never reported banned for it.
   */
  public Optional<ReservedNumber> reserveForReuse(Handle h, Mode mode, String e164, String service) {
    return h.createQuery("SELECT p.id, p.e164, p.country, p.operator FROM phone_number p "
            + "JOIN number_use u ON u.number_id = p.id AND u.service = :service "
            + "WHERE p.e164 = :e AND p.mode = :mode AND p.enabled AND p.active_activation_id IS NULL AND NOT u.banned "
            + "FOR UPDATE")
        .bind("service", service).bind("e", e164).bind("mode", mode.sqlName())
        .map((rs, ctx) -> new ReservedNumber(rs.getLong("id"), rs.getString("e164"), rs.getString("country"),
            rs.getString("operator")))
        .findOne();
  }

  /** The activation that last used this number for this service, if any. */
  public Optional<Integer> lastUse(Handle h, String e164, String service) {
    return h.createQuery("SELECT u.activation_id FROM number_use u JOIN phone_number p ON p.id = u.number_id "
            + "WHERE p.e164 = :e AND u.service = :s")
        .bind("e", e164).bind("s", service).mapTo(Integer.class).findOne();
  }

  public Optional<Long> numberId(Handle h, String e164) {
    return h.createQuery("SELECT id FROM phone_number WHERE e164 = :e").bind("e", e164).mapTo(Long.class).findOne();
  }

  public static String normaliseOperator(String operator) {
    if (operator == null || operator.isBlank()) {
      return "any";
    }
    String op = operator.trim().toLowerCase(Locale.ROOT);
    if (!op.matches("[a-z0-9_.-]{1,32}")) {
      throw new Failure(ErrorCode.BAD_REQUEST, "operator must be 1-32 letters, digits, '.', '_' or '-'");
    }
    return op;
  }

  private long insertNumber(Handle h, String e164, String country, String operator, long sourceId, Mode mode) {
    return h.createUpdate("INSERT INTO phone_number (e164, country, operator, source_id, mode, created_at) "
            + "VALUES (:e, :c, :o, :s, :m, :t)")
        .bind("e", e164).bind("c", country).bind("o", operator).bind("s", sourceId).bind("m", mode.sqlName())
        .bind("t", OffsetDateTime.now(clock))
        .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
  }
}
