package io.verigate.server.activation;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import io.verigate.server.account.Mode;
import io.verigate.server.catalog.Catalog;
import io.verigate.server.catalog.Country;
import io.verigate.server.catalog.Prices;
import io.verigate.server.catalog.TargetService;
import io.verigate.server.inventory.Inventory;
import io.verigate.server.inventory.Stock;
import io.verigate.server.system.Database;
import io.verigate.server.wallet.Money;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * What the node offers the public: for every service and country with live numbers now or live activations in the
 * last week, the price, the stock, and how many activations got a code over the last 24 hours and 7 days. Anyone may
 * read it (the coverage pages, {@code GET /api/v1/coverage}), so it is worked out at most once per {@link #FRESHNESS}
 * on each node, whatever the traffic.
 */
public final class Coverage {
  public static final Duration FRESHNESS = Duration.ofSeconds(30);
  static final Duration DAY = Duration.ofDays(1);
  static final Duration WEEK = Duration.ofDays(7);

  /** Of the activations with a known outcome, how many got a code. */
  public record Rate(long succeeded, long counted) {
    static final Rate NONE = new Rate(0, 0);

    Rate plus(Rate other) {
      return new Rate(succeeded + other.succeeded, counted + other.counted);
    }

    /** The share that got a code in whole percent, or empty when nothing was counted. */
    public Optional<Integer> percent() {
      return counted == 0 ? Optional.empty() : Optional.of((int) Math.round(100.0 * succeeded / counted));
    }
  }

  /** One service in one country. */
  public record Row(TargetService service, Country country, Money price, int stock, Rate lastDay, Rate lastWeek) {}

  /**
   * One country over every service it offers: the cheapest price, the most numbers any one service could get (a
   * number serves every service it has not served yet), and the success of all its activations.
   */
  public record CountrySummary(Country country, int services, Money lowestPrice, int stock, Rate lastDay,
      Rate lastWeek) {}

  /** The figures, and when they were worked out. */
  public record Snapshot(Instant at, List<Row> rows) {
    /** Per country, in the rows' order. */
    public List<CountrySummary> byCountry() {
      Map<String, List<Row>> grouped = new LinkedHashMap<>();
      rows.forEach(r -> grouped.computeIfAbsent(r.country().iso(), k -> new ArrayList<>()).add(r));
      return grouped.values().stream().map(Snapshot::summary).toList();
    }

    private static CountrySummary summary(List<Row> rows) {
      Money lowest = rows.get(0).price();
      int stock = 0;
      Rate day = Rate.NONE;
      Rate week = Rate.NONE;
      for (Row row : rows) {
        lowest = lowest.exceeds(row.price()) ? row.price() : lowest;
        stock = Math.max(stock, row.stock());
        day = day.plus(row.lastDay());
        week = week.plus(row.lastWeek());
      }
      return new CountrySummary(rows.get(0).country(), rows.size(), lowest, stock, day, week);
    }

    public List<Row> forCountry(String iso) {
      return rows.stream().filter(r -> r.country().iso().equals(iso)).toList();
    }

    public List<Row> forService(String code) {
      return rows.stream().filter(r -> r.service().code().equals(code)).toList();
    }
  }

  private final Database db;
  private final Clock clock;
  private final Catalog catalog;
  private final Prices prices;
  private final Stock stock;
  private final ActivationRepository repository = new ActivationRepository();
  private final LoadingCache<String, Snapshot> cache;

  public Coverage(Database db, Clock clock, Catalog catalog, Prices prices, Stock stock) {
    this.db = db;
    this.clock = clock;
    this.catalog = catalog;
    this.prices = prices;
    this.stock = stock;
    this.cache = Caffeine.newBuilder().expireAfterWrite(FRESHNESS)
        .ticker(() -> TimeUnit.MILLISECONDS.toNanos(clock.millis()))
        .build(key -> compute());
  }

  /** The current figures, at most {@link #FRESHNESS} old. */
  public Snapshot snapshot() {
    return cache.get("all");
  }

  private Snapshot compute() {
    Instant now = clock.instant();
    Map<String, Rate> day = rates(now.minus(DAY), now);
    Map<String, Rate> week = rates(now.minus(WEEK), now);
    Prices.PriceTable table = prices.table();
    List<Row> rows = new ArrayList<>();
    for (TargetService service : catalog.services()) {
      Map<String, Integer> available = stock.forService(Mode.LIVE, service.code());
      for (Country country : catalog.countries()) {
        String key = service.code() + "/" + country.iso();
        int inStock = available.getOrDefault(country.iso(), 0);
        if (inStock > 0 || week.containsKey(key)) {
          rows.add(new Row(service, country, table.priceFor(service.code(), country.iso(), Inventory.normaliseOperator(null)),
              inStock, day.getOrDefault(key, Rate.NONE), week.getOrDefault(key, Rate.NONE)));
        }
      }
    }
    rows.sort(Comparator.comparing((Row r) -> r.country().name()).thenComparing(r -> r.service().name()));
    return new Snapshot(now, List.copyOf(rows));
  }

  /** Delivery success of one country on one day. */
  public record DailyRate(String countryIso, String service, LocalDate day, Rate rate) {
    /** The rates of one day added up over what {@code key} leaves apart (services, say, to see each country). */
    public static Map<String, Map<LocalDate, Rate>> totals(List<DailyRate> rates, Function<DailyRate, String> key) {
      Map<String, Map<LocalDate, Rate>> totals = new LinkedHashMap<>();
      rates.forEach(r -> totals.computeIfAbsent(key.apply(r), k -> new TreeMap<>()).merge(r.day(), r.rate(), Rate::plus));
      return totals;
    }
  }

  /**
   * Delivery success per country, service and day over the last week, for the operator: read when asked, as only the
   * operator asks.
   */
  public List<DailyRate> lastWeekByDay() {
    Instant now = clock.instant();
    return db.withHandle(h -> repository.dailyDeliveryCounts(h, now.minus(WEEK), now)).stream()
        .map(c -> new DailyRate(c.country(), c.service(), c.day(), new Rate(c.succeeded(), c.counted())))
        .sorted(Comparator.comparing(DailyRate::day).thenComparing(DailyRate::countryIso)
            .thenComparing(DailyRate::service))
        .toList();
  }

  private Map<String, Rate> rates(Instant since, Instant now) {
    Map<String, Rate> out = new HashMap<>();
    db.withHandle(h -> repository.deliveryCounts(h, since, now))
        .forEach(c -> out.put(c.service() + "/" + c.country(), new Rate(c.succeeded(), c.counted())));
    return out;
  }
}
