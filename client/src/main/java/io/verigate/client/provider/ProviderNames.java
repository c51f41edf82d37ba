package io.verigate.client.provider;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * How each dialect names a country and a service. Orders use ISO alpha-2 countries and sms-activate's service
 * codes; sms-activate wants numeric country ids and 5sim slugs ({@code usa}, {@code england}) and product names
 * ({@code whatsapp}). The tables are a copy of Verigate's catalogue; a name they do not know is sent as given, so
 * a caller can always use a provider's own name.
 */
final class ProviderNames {
  private static final Map<String, String> SMS_ACTIVATE_COUNTRY = new HashMap<>();
  private static final Map<String, String> FIVESIM_COUNTRY = new HashMap<>();
  private static final Map<String, String> ISO_OF_FIVESIM_COUNTRY = new HashMap<>();
  private static final Map<String, String> FIVESIM_PRODUCT = new HashMap<>();

  static {
    read("countries.csv", (iso, row) -> {
      if (!row[1].isEmpty()) {
        SMS_ACTIVATE_COUNTRY.put(iso, row[1]);
      }
      if (row.length > 2 && !row[2].isEmpty()) {
        FIVESIM_COUNTRY.put(iso, row[2]);
        ISO_OF_FIVESIM_COUNTRY.put(row[2], iso);
      }
    });
    read("services.csv", (code, row) -> FIVESIM_PRODUCT.put(code, row[1]));
  }

  private ProviderNames() {}

  static String smsActivateCountry(String iso) {
    return SMS_ACTIVATE_COUNTRY.getOrDefault(key(iso), iso);
  }

  static String fiveSimCountry(String iso) {
    return FIVESIM_COUNTRY.getOrDefault(key(iso), iso);
  }

  /** The ISO code of a 5sim country slug, or the slug itself when unknown. */
  static String isoOfFiveSimCountry(String slug) {
    return slug == null ? null : ISO_OF_FIVESIM_COUNTRY.getOrDefault(key(slug), slug);
  }

  static String fiveSimProduct(String service) {
    return FIVESIM_PRODUCT.getOrDefault(key(service), service);
  }

  private static String key(String name) {
    return name.trim().toLowerCase(Locale.ROOT);
  }

  private static void read(String file, BiConsumer<String, String[]> row) {
    try (InputStream in = ProviderNames.class.getResourceAsStream(file)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + file);
      }
      BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      lines.readLine();
      for (String line = lines.readLine(); line != null; line = lines.readLine()) {
        String[] cells = line.split(",", -1);
        row.accept(cells[0], cells);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
