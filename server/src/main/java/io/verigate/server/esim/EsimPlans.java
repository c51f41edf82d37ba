package io.verigate.server.esim;

import io.verigate.server.account.Actor;
import io.verigate.server.account.Audit;
import io.verigate.server.account.AuditAction;
import io.verigate.server.account.AuditEntry;
import io.verigate.server.account.Mode;
import io.verigate.server.system.Database;
import io.verigate.server.system.ErrorCode;
import io.verigate.server.system.Failure;
import io.verigate.server.wallet.Money;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.jdbi.v3.core.Handle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The plan catalog: the operator saves plans, customers list the ones their key's mode sees. */
public final class EsimPlans {
  private static final Pattern PLAN_ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");
  private static final Pattern REGION = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");
  private static final Set<String> ISO_COUNTRIES = Set.of(Locale.getISOCountries());
  private static final String COLUMNS = "id, name, kind, region, countries, data_mb, validity_days, voice_minutes, "
      + "sms_count, price, sandbox, enabled, supplier_package";
  /** The columns read: the saved ones, and whether the catalog sync withdrew the plan (which only the sync writes). */
  private static final String READ = COLUMNS + ", withdrawn";
  /** What saving a plan or syncing it rewrites; the operator's {@code enabled} and the sync's {@code withdrawn} apart. */
  private static final String UPDATE = "UPDATE esim_plan SET name = :name, kind = :kind, region = :region, "
      + "countries = :countries, data_mb = :data, validity_days = :days, voice_minutes = :voice, sms_count = :sms, "
      + "price = :price, sandbox = :sandbox, supplier_package = :package, updated_at = :at";
  private static final Logger log = LoggerFactory.getLogger(EsimPlans.class);

  private final Database db;
  private final Clock clock;
  private final Audit audit;

  public EsimPlans(Database db, Clock clock, Audit audit) {
    this.db = db;
    this.clock = clock;
    this.audit = audit;
  }

  /**
   * The plans {@code mode} sees that pass the filter, cheapest first. Filtered here rather than in SQL: a catalog is a
   * few thousand plans at most (Airalo's whole one is about 3,200), and the country filter looks inside a list.
   */
  public List<EsimPlan> list(Mode mode, PlanFilter filter) {
    return db.withHandle(h -> h.createQuery("SELECT " + READ + " FROM esim_plan ORDER BY price, id")
        .map((rs, ctx) -> map(rs)).list()).stream()
        .filter(plan -> plan.visibleTo(mode) && filter.matches(plan))
        .toList();
  }

  /** Every plan, hidden or not, with the operator's free stock of each. */
  public Map<EsimPlan, Integer> stock() {
    return db.withHandle(h -> {
      Map<EsimPlan, Integer> stock = new LinkedHashMap<>();
      h.createQuery("SELECT " + READ + ", (SELECT COUNT(*) FROM esim_profile f WHERE f.plan_id = p.id AND "
              + "f.order_id IS NULL) AS free FROM esim_plan p ORDER BY id")
          .map((rs, ctx) -> Map.entry(map(rs), rs.getInt("free"))).forEach(e -> stock.put(e.getKey(), e.getValue()));
      return stock;
    });
  }

  /** The plan as {@code mode} may buy it; a plan it cannot see does not exist for it. */
  public EsimPlan visible(Handle h, Mode mode, String id, EsimPlan.Kind kind) {
    EsimPlan plan = find(h, id).filter(p -> p.visibleTo(mode))
        .orElseThrow(() -> new Failure(ErrorCode.NOT_FOUND, "no eSIM plan '" + id + "'"));
    if (plan.kind() != kind) {
      throw new Failure(ErrorCode.BAD_REQUEST, "plan '" + id + "' is " + (kind == EsimPlan.Kind.TOPUP
          ? "a plan for a new eSIM, not a top-up" : "a top-up; order a plan for a new eSIM"));
    }
    return plan;
  }

  public Optional<EsimPlan> find(Handle h, String id) {
    return h.createQuery("SELECT " + READ + " FROM esim_plan WHERE id = :id").bind("id", id)
        .map((rs, ctx) -> map(rs)).findOne();
  }

  /** Creates or replaces the plan {@code plan.id()}; the audit log records who did it. */
  public EsimPlan save(Actor actor, EsimPlan plan) {
    EsimPlan checked = checked(plan);
    return db.inTransaction(h -> {
      int updated = h.createUpdate(UPDATE + ", enabled = :enabled WHERE id = :id").bindMap(columns(checked)).execute();
      if (updated == 0) {
        insert(h, checked, null);
      }
      Map<String, Object> detail = new LinkedHashMap<>();
      detail.put("kind", checked.kind().name());
      detail.put("price", checked.price().toDecimalString());
      detail.put("enabled", checked.enabled());
      audit.record(h, new AuditEntry(actor, AuditAction.ESIM_PLAN_SAVED, "esim_plan:" + checked.id(), detail));
      return find(h, checked.id()).orElseThrow();
    });
  }

  /** What one catalog sync changed. */
  public record Synced(int added, int updated, int withdrawn, int skipped) {}

  /**
   * Makes the plans synced from {@code supplier} what it offers now, in one transaction: offered plans are added or
   * updated (and come back on sale if they had been withdrawn), synced plans it no longer offers are withdrawn, never
   * deleted (eSIMs sold keep their plan). A plan the operator created under the same id is left alone, and an offered
   * plan this catalog cannot hold (a country code it does not know) is skipped; both are counted as skipped. The
   * operator's {@code enabled} is never changed. One audit entry records the run.
   */
  public Synced sync(Actor actor, String supplier, List<EsimPlan> offered) {
    return db.inTransaction(h -> {
      // Who owns each plan id now: a supplier's name, or "" for the operator's own plans.
      Map<String, String> owners = new HashMap<>();
      h.createQuery("SELECT id, synced_from FROM esim_plan").map((rs, ctx) -> Map.entry(rs.getString("id"),
          Objects.toString(rs.getString("synced_from"), ""))).forEach(e -> owners.put(e.getKey(), e.getValue()));
      Set<String> seen = new HashSet<>();
      int added = 0;
      int updated = 0;
      int skipped = 0;
      for (EsimPlan plan : offered) {
        EsimPlan checked;
        try {
          checked = checked(plan);
        } catch (Failure unfit) {
          log.warn("{} package {} skipped: {}", supplier, plan.supplierPackageId(), unfit.getMessage());
          skipped++;
          continue;
        }
        String owner = owners.get(checked.id());
        if (!seen.add(checked.id()) || (owner != null && !owner.equals(supplier))) {
          skipped++;
        } else if (owner == null) {
          insert(h, checked, supplier);
          added++;
        } else {
          Map<String, Object> columns = columns(checked);
          columns.remove("enabled");
          h.createUpdate(UPDATE + ", withdrawn = FALSE WHERE id = :id").bindMap(columns).execute();
          updated++;
        }
      }
      List<String> gone = owners.entrySet().stream()
          .filter(e -> e.getValue().equals(supplier) && !seen.contains(e.getKey())).map(Map.Entry::getKey).toList();
      int withdrawn = gone.isEmpty() ? 0 : h.createUpdate("UPDATE esim_plan SET withdrawn = TRUE, updated_at = :at "
              + "WHERE id IN (<ids>) AND withdrawn = FALSE")
          .bindList("ids", gone).bind("at", OffsetDateTime.now(clock)).execute();
      Synced synced = new Synced(added, updated, withdrawn, skipped);
      audit.record(h, new AuditEntry(actor, AuditAction.ESIM_CATALOG_SYNCED, "esim_supplier:" + supplier,
          Map.of("added", added, "updated", updated, "withdrawn", withdrawn, "skipped", skipped)));
      return synced;
    });
  }

  private void insert(Handle h, EsimPlan checked, String syncedFrom) {
    h.createUpdate("INSERT INTO esim_plan (" + COLUMNS + ", synced_from, updated_at) VALUES (:id, :name, :kind, "
            + ":region, :countries, :data, :days, :voice, :sms, :price, :sandbox, :enabled, :package, :syncedFrom, :at)")
        .bindMap(columns(checked)).bind("syncedFrom", syncedFrom).execute();
  }

  private Map<String, Object> columns(EsimPlan plan) {
    Map<String, Object> columns = new LinkedHashMap<>();
    columns.put("id", plan.id());
    columns.put("name", plan.name());
    columns.put("kind", plan.kind().name());
    columns.put("region", plan.region());
    columns.put("countries", String.join(",", plan.countries()));
    columns.put("data", plan.dataMb());
    columns.put("days", plan.validityDays());
    columns.put("voice", plan.voiceMinutes());
    columns.put("sms", plan.smsCount());
    columns.put("price", plan.price().units());
    columns.put("sandbox", plan.sandbox());
    columns.put("enabled", plan.enabled());
    columns.put("package", plan.supplierPackageId());
    columns.put("at", OffsetDateTime.now(clock));
    return columns;
  }

  /** The plan with its countries upper-cased, sorted and checked, or a refusal naming the first thing wrong. */
  private static EsimPlan checked(EsimPlan plan) {
    require(plan.id() != null && PLAN_ID.matcher(plan.id()).matches(),
        "a plan id is 1-64 lower-case letters, digits and hyphens, got '" + plan.id() + "'");
    require(plan.name() != null && !plan.name().isBlank() && plan.name().length() <= 200, "name is required (1-200 characters)");
    List<String> countries = plan.countries().stream().map(c -> c.trim().toUpperCase(Locale.ROOT)).distinct().sorted()
        .toList();
    require(!countries.isEmpty() && countries.size() <= 300, "countries must list 1 to 300 ISO codes");
    countries.stream().filter(c -> !ISO_COUNTRIES.contains(c)).findFirst().ifPresent(c -> {
      throw new Failure(ErrorCode.UNKNOWN_COUNTRY, "'" + c + "' is not an ISO 3166 country code");
    });
    String region = plan.region() == null ? null : plan.region().trim().toLowerCase(Locale.ROOT);
    require(region == null || REGION.matcher(region).matches(),
        "region is 1-64 lower-case letters, digits and hyphens, such as \"europe\"");
    require(region != null || countries.size() == 1, "a plan for several countries needs a region name");
    require(plan.dataMb() == null || plan.dataMb() > 0, "dataMb must be above zero, or null for unlimited data");
    require(plan.validityDays() > 0 && plan.validityDays() <= 3650, "validityDays must be between 1 and 3650");
    require(plan.voiceMinutes() == null || plan.voiceMinutes() >= 0, "voiceMinutes must not be negative");
    require(plan.smsCount() == null || plan.smsCount() >= 0, "smsCount must not be negative");
    require(plan.price().exceeds(Money.ZERO), "price must be above zero");
    String supplierPackage = plan.supplierPackageId() == null || plan.supplierPackageId().isBlank() ? null
        : plan.supplierPackageId().strip();
    require(supplierPackage == null || supplierPackage.matches("[A-Za-z0-9._-]{1,100}"),
        "supplierPackageId is 1-100 letters, digits, dots, hyphens and underscores");
    require(supplierPackage == null || !plan.sandbox(), "only a live plan can name a supplier package");
    return new EsimPlan(plan.id(), plan.name().strip(), plan.kind(), region, countries, plan.dataMb(),
        plan.validityDays(), plan.voiceMinutes(), plan.smsCount(), plan.price(), plan.sandbox(), plan.enabled(),
        supplierPackage, plan.withdrawn());
  }

  private static void require(boolean condition, String detail) {
    if (!condition) {
      throw new Failure(ErrorCode.BAD_REQUEST, detail);
    }
  }

  static EsimPlan map(ResultSet rs) throws SQLException {
    return new EsimPlan(rs.getString("id"), rs.getString("name"), EsimPlan.Kind.valueOf(rs.getString("kind")),
        rs.getString("region"), Arrays.asList(rs.getString("countries").split(",")), (Long) rs.getObject("data_mb", Long.class),
        rs.getInt("validity_days"), rs.getObject("voice_minutes", Integer.class), rs.getObject("sms_count", Integer.class),
        Money.ofUnits(rs.getLong("price")), rs.getBoolean("sandbox"), rs.getBoolean("enabled"),
        rs.getString("supplier_package"), rs.getBoolean("withdrawn"));
  }
}
