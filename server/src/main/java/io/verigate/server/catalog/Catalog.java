package io.verigate.server.catalog;

import io.verigate.server.system.ErrorCode;
import io.verigate.server.system.Failure;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Countries and target services, resolvable from whatever form a dialect speaks: ISO code,
 * sms-activate numeric id, 5sim slug, short service code, 5sim product name, English name or alias.
 *
 * <p>Built once from {@code catalog/countries.csv} and {@code catalog/services.csv} on the classpath.
 * Instances are immutable and safe to share between threads; every lookup is a single hash-map get.
 */
public final class Catalog {

  static final String COUNTRIES_FILE = "catalog/countries.csv";
  static final String SERVICES_FILE = "catalog/services.csv";

  private static final List<String> COUNTRY_COLUMNS =
      List.of("iso", "name", "dial_code", "sms_activate_id", "fivesim_slug", "aliases");
  private static final List<String> SERVICE_COLUMNS = List.of("code", "name", "fivesim_name", "aliases");

  private static final Pattern ISO = Pattern.compile("[A-Z]{2}");
  private static final Pattern DIAL_CODE = Pattern.compile("[0-9]{1,4}");
  private static final Pattern NUMERIC_ID = Pattern.compile("[0-9]{1,9}");
  private static final Pattern SLUG = Pattern.compile("[a-z0-9]+");
  // sms-activate codes are two letters, a few are three.
  private static final Pattern SERVICE_CODE = Pattern.compile("[a-z0-9]{2,3}");

  private static Catalog loaded;

  private final List<Country> countries;
  private final List<TargetService> services;
  private final Map<String, Country> countriesByIso;
  private final Map<String, Country> countriesByKey;
  private final Map<String, TargetService> servicesByKey;

  private Catalog(List<Country> countries, List<TargetService> services, Map<String, Country> countriesByIso,
      Map<String, Country> countriesByKey, Map<String, TargetService> servicesByKey) {
    this.countries = countries;
    this.services = services;
    this.countriesByIso = countriesByIso;
    this.countriesByKey = countriesByKey;
    this.servicesByKey = servicesByKey;
  }

  /**
   * The catalog shipped with the server, read from the classpath on first use.
   *
   * @throws IllegalStateException naming the file and line of the first malformed row
   */
  public static synchronized Catalog load() {
    if (loaded == null) {
      loaded = fromCsv(read(COUNTRIES_FILE), read(SERVICES_FILE));
    }
    return loaded;
  }

  /** Any form of a country: {@code us}, {@code US}, {@code 187}, {@code 12}, {@code usa}, {@code United States}. */
  public Optional<Country> country(String anyForm) {
    return lookup(countriesByKey, anyForm);
  }

  /** Any form of a service: {@code wa}, {@code whatsapp}, {@code WhatsApp} or an alias. */
  public Optional<TargetService> service(String anyForm) {
    return lookup(servicesByKey, anyForm);
  }

  /** A price rule's service: the code of a service named in any form, or the wildcard {@value Prices#WILDCARD}. */
  public String priceRuleService(String service) {
    return service.equals(Prices.WILDCARD) ? service : service(service)
        .orElseThrow(() -> new Failure(ErrorCode.UNKNOWN_SERVICE, "unknown service '" + service + "'")).code();
  }

  /** A price rule's country: the ISO code of a country named in any form, or the wildcard {@value Prices#WILDCARD}. */
  public String priceRuleCountry(String country) {
    return country.equals(Prices.WILDCARD) ? country : country(country)
        .orElseThrow(() -> new Failure(ErrorCode.UNKNOWN_COUNTRY, "unknown country '" + country + "'")).iso();
  }

  /** Strictly by ISO 3166-1 alpha-2 code, in any case. */
  public Optional<Country> byIso(String iso) {
    return iso == null ? Optional.empty()
        : Optional.ofNullable(countriesByIso.get(iso.strip().toUpperCase(Locale.ROOT)));
  }

  /** All countries, sorted by name. */
  public List<Country> countries() {
    return countries;
  }

  /** All services, sorted by code. */
  public List<TargetService> services() {
    return services;
  }

  static Catalog fromCsv(String countriesCsv, String servicesCsv) {
    Map<String, Country> byIso = new HashMap<>();
    Map<String, Country> countryKeys = new HashMap<>();
    for (Row row : rows(COUNTRIES_FILE, countriesCsv, COUNTRY_COLUMNS)) {
      String iso = row.required(0, "iso", ISO);
      String name = row.required(1, "name", null);
      String dialCode = row.required(2, "dial_code", DIAL_CODE);
      String smsActivateId = row.optional(3, "sms_activate_id", NUMERIC_ID);
      String fiveSimSlug = row.optional(4, "fivesim_slug", SLUG);
      Country country = new Country(iso, name, dialCode,
          smsActivateId == null ? null : Integer.valueOf(smsActivateId), fiveSimSlug);
      if (byIso.putIfAbsent(iso, country) != null) {
        throw row.error("duplicate iso " + iso);
      }
      List<String> keys = new ArrayList<>(List.of(iso, name));
      if (smsActivateId != null) {
        keys.add(String.valueOf(country.smsActivateId()));
      }
      if (fiveSimSlug != null) {
        keys.add(fiveSimSlug);
      }
      keys.addAll(row.aliases(5));
      index(countryKeys, row, country, keys, Country::iso);
    }

    Map<String, TargetService> serviceKeys = new HashMap<>();
    Set<String> codes = new HashSet<>();
    List<TargetService> services = new ArrayList<>();
    for (Row row : rows(SERVICES_FILE, servicesCsv, SERVICE_COLUMNS)) {
      String code = row.required(0, "code", SERVICE_CODE);
      String name = row.required(1, "name", null);
      String fiveSimName = row.optional(2, "fivesim_name", SLUG);
      TargetService service = new TargetService(code, name, fiveSimName);
      if (!codes.add(code)) {
        throw row.error("duplicate code " + code);
      }
      List<String> keys = new ArrayList<>(List.of(code, name));
      if (fiveSimName != null) {
        keys.add(fiveSimName);
      }
      keys.addAll(row.aliases(3));
      index(serviceKeys, row, service, keys, TargetService::code);
      services.add(service);
    }

    List<Country> countries = new ArrayList<>(byIso.values());
    countries.sort(Comparator.comparing(Country::name, String.CASE_INSENSITIVE_ORDER).thenComparing(Country::iso));
    services.sort(Comparator.comparing(TargetService::code));
    return new Catalog(List.copyOf(countries), List.copyOf(services), byIso, countryKeys, serviceKeys);
  }

  /**
   * Splits one CSV line. Fields may be double-quoted (to hold commas); a doubled quote inside
   * quotes is a literal quote. Quoted fields spanning lines are not supported: no catalog value needs one.
   *
   * @throws IllegalArgumentException on an unbalanced or misplaced quote
   */
  static List<String> parseLine(String line) {
    List<String> fields = new ArrayList<>();
    StringBuilder field = new StringBuilder();
    int i = 0;
    while (true) {
      if (i < line.length() && line.charAt(i) == '"') {
        i++;
        while (true) {
          if (i >= line.length()) {
            throw new IllegalArgumentException("unterminated quoted field");
          }
          char c = line.charAt(i++);
          if (c != '"') {
            field.append(c);
          } else if (i < line.length() && line.charAt(i) == '"') {
            field.append('"');
            i++;
          } else {
            break;
          }
        }
        if (i < line.length() && line.charAt(i) != ',') {
          throw new IllegalArgumentException("text after closing quote at column " + (i + 1));
        }
      } else {
        while (i < line.length() && line.charAt(i) != ',') {
          char c = line.charAt(i++);
          if (c == '"') {
            throw new IllegalArgumentException("quote inside unquoted field at column " + i);
          }
          field.append(c);
        }
      }
      fields.add(field.toString());
      field.setLength(0);
      if (i >= line.length()) {
        return fields;
      }
      i++;
    }
  }

  private static <T> Optional<T> lookup(Map<String, T> map, String anyForm) {
    return anyForm == null ? Optional.empty() : Optional.ofNullable(map.get(normalize(anyForm)));
  }

  private static String normalize(String key) {
    return key.strip().toLowerCase(Locale.ROOT);
  }

  // One map serves every form, so a key naming two different rows is a data error, not a silent override.
  private static <T> void index(Map<String, T> map, Row row, T value, List<String> keys, Function<T, String> id) {
    for (String key : keys) {
      T previous = map.putIfAbsent(normalize(key), value);
      if (previous != null && previous != value) {
        throw row.error("'" + key + "' already names " + id.apply(previous));
      }
    }
  }

  private static List<Row> rows(String file, String csv, List<String> columns) {
    String[] lines = csv.split("\r?\n", -1);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < lines.length; i++) {
      String line = i == 0 && lines[0].startsWith("\uFEFF") ? lines[0].substring(1) : lines[i];
      if (i > 0 && line.isBlank()) {
        continue;
      }
      Row row;
      try {
        row = new Row(file, i + 1, parseLine(line));
      } catch (IllegalArgumentException e) {
        throw new IllegalStateException(file + " line " + (i + 1) + ": " + e.getMessage(), e);
      }
      if (i == 0) {
        if (!row.fields().equals(columns)) {
          throw row.error("header must be " + String.join(",", columns));
        }
      } else if (row.fields().size() != columns.size()) {
        throw row.error("expected " + columns.size() + " fields, found " + row.fields().size());
      } else {
        rows.add(row);
      }
    }
    return rows;
  }

  private static String read(String file) {
    try (InputStream in = Catalog.class.getResourceAsStream("/" + file)) {
      if (in == null) {
        throw new IllegalStateException(file + " is missing from the classpath");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  private record Row(String file, int line, List<String> fields) {

    String required(int column, String label, Pattern format) {
      String value = optional(column, label, format);
      if (value == null) {
        throw error(label + " is empty");
      }
      return value;
    }

    String optional(int column, String label, Pattern format) {
      String value = fields.get(column).strip();
      if (value.isEmpty()) {
        return null;
      }
      if (format != null && !format.matcher(value).matches()) {
        throw error(label + " '" + value + "' does not match " + format.pattern());
      }
      return value;
    }

    List<String> aliases(int column) {
      String value = fields.get(column).strip();
      if (value.isEmpty()) {
        return List.of();
      }
      List<String> aliases = new ArrayList<>();
      for (String alias : value.split(";", -1)) {
        if (alias.isBlank()) {
          throw error("empty alias in '" + value + "'");
        }
        aliases.add(alias.strip());
      }
      return aliases;
    }

    IllegalStateException error(String message) {
      return new IllegalStateException(file + " line " + line + ": " + message);
    }
  }
}
