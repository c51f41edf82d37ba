package io.verigate.server.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class CatalogTest {

  private static final String COUNTRY_HEADER = "iso,name,dial_code,sms_activate_id,fivesim_slug,aliases\n";
  private static final String SERVICE_HEADER = "code,name,fivesim_name,aliases\n";
  private static final String ONE_SERVICE = SERVICE_HEADER + "wa,WhatsApp,whatsapp,\n";
  private static final String ONE_COUNTRY = COUNTRY_HEADER + "US,United States,1,187,usa,12\n";

  private final Catalog catalog = Catalog.load();

  @ParameterizedTest(name = "sms-activate id {0} is {1} ({2})")
  @CsvSource({
      "0, RU, Russia",
      "1, UA, Ukraine",
      "2, KZ, Kazakhstan",
      "3, CN, China",
      "6, ID, Indonesia",
      "16, GB, United Kingdom",
      "22, IN, India",
      "36, CA, Canada",
      "43, DE, Germany",
      "62, TR, Turkey",
      "73, BR, Brazil",
      "78, FR, France",
      "86, IT, Italy",
      "187, US, United States"})
  void sms_activate_ids_resolve_to_the_documented_countries(String id, String iso, String name) {
    Country country = catalog.country(id).orElseThrow();

    assertThat(country.iso()).isEqualTo(iso);
    assertThat(country.name()).isEqualTo(name);
    assertThat(country.smsActivateId()).isEqualTo(Integer.valueOf(id));
  }

  @Test
  void virtual_usa_id_12_resolves_to_the_united_states_whose_own_id_stays_187() {
    Country us = catalog.country("12").orElseThrow();

    assertThat(us.iso()).isEqualTo("US");
    assertThat(us.smsActivateId()).isEqualTo(187);
  }

  @ParameterizedTest
  @ValueSource(strings = {"us", "US", " us ", "187", "12", "usa", "USA", "United States", "united states",
      "america"})
  void every_form_of_the_united_states_resolves_to_the_same_country(String form) {
    assertThat(catalog.country(form)).hasValueSatisfying(c -> assertThat(c.iso()).isEqualTo("US"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"gb", "GB", "16", "england", "United Kingdom", "uk", "great britain"})
  void every_form_of_the_united_kingdom_resolves_to_the_same_country(String form) {
    assertThat(catalog.country(form)).hasValueSatisfying(c -> assertThat(c.iso()).isEqualTo("GB"));
  }

  @Test
  void a_country_carries_its_dial_code_and_5sim_slug() {
    Country turkey = catalog.byIso("tr").orElseThrow();

    assertThat(turkey.dialCode()).isEqualTo("90");
    assertThat(turkey.fiveSimSlug()).isEqualTo("turkey");
    assertThat(catalog.byIso("US").orElseThrow().fiveSimSlug()).isEqualTo("usa");
  }

  @Test
  void a_country_sms_activate_does_not_list_has_no_id_but_still_resolves() {
    Country andorra = catalog.country("Andorra").orElseThrow();

    assertThat(andorra.iso()).isEqualTo("AD");
    assertThat(andorra.smsActivateId()).isNull();
  }

  @ParameterizedTest
  @ValueSource(strings = {"wa", "WA", " wa ", "whatsapp", "WhatsApp"})
  void every_form_of_whatsapp_resolves_to_the_same_service(String form) {
    assertThat(catalog.service(form)).hasValue(new TargetService("wa", "WhatsApp", "whatsapp"));
  }

  @ParameterizedTest
  @CsvSource({"gmail, go", "youtube, go", "google, go", "vkontakte, vk", "vk, vk", "telegram, tg",
      "microsoft, mm", "x, tw", "other, ot", "Any other, ot"})
  void services_resolve_by_5sim_name_and_alias(String form, String code) {
    assertThat(catalog.service(form)).hasValueSatisfying(s -> assertThat(s.code()).isEqualTo(code));
  }

  @ParameterizedTest
  @ValueSource(strings = {"atlantis", "999", "-1", "", "   ", "u s"})
  void unknown_or_blank_input_is_empty(String form) {
    assertThat(catalog.country(form)).isEmpty();
    assertThat(catalog.service(form)).isEmpty();
    assertThat(catalog.byIso(form)).isEmpty();
  }

  @Test
  void null_input_is_empty() {
    assertThat(catalog.country(null)).isEmpty();
    assertThat(catalog.service(null)).isEmpty();
    assertThat(catalog.byIso(null)).isEmpty();
  }

  @Test
  void by_iso_does_not_accept_other_forms() {
    assertThat(catalog.byIso("usa")).isEmpty();
    assertThat(catalog.byIso("187")).isEmpty();
  }

  @Test
  void iso_codes_are_unique() {
    List<String> isos = catalog.countries().stream().map(Country::iso).toList();

    assertThat(isos).doesNotHaveDuplicates();
  }

  @Test
  void sms_activate_ids_are_unique() {
    List<Integer> ids = catalog.countries().stream().map(Country::smsActivateId).filter(Objects::nonNull).toList();

    assertThat(ids).doesNotHaveDuplicates().hasSizeGreaterThanOrEqualTo(190);
  }

  @Test
  void fivesim_slugs_are_unique() {
    List<String> slugs = catalog.countries().stream().map(Country::fiveSimSlug).filter(Objects::nonNull).toList();

    assertThat(slugs).doesNotHaveDuplicates();
  }

  @Test
  void every_country_has_a_numeric_dial_code() {
    assertThat(catalog.countries()).allSatisfy(c -> assertThat(c.dialCode()).matches("[0-9]{1,4}"));
  }

  @Test
  void countries_are_sorted_by_name() {
    assertThat(catalog.countries()).extracting(Country::name).isSortedAccordingTo(String.CASE_INSENSITIVE_ORDER);
  }

  @Test
  void service_codes_are_unique_and_there_are_at_least_40_services() {
    List<String> codes = catalog.services().stream().map(TargetService::code).toList();

    assertThat(codes).doesNotHaveDuplicates().hasSizeGreaterThanOrEqualTo(40).contains("ot");
  }

  @Test
  void services_are_sorted_by_code() {
    assertThat(catalog.services()).extracting(TargetService::code).isSorted();
  }

  @Test
  void the_lists_are_immutable() {
    assertThatThrownBy(() -> catalog.countries().clear()).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> catalog.services().clear()).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void load_reads_the_files_once_and_returns_the_same_catalog() {
    assertThat(Catalog.load()).isSameAs(catalog);
  }

  @Test
  void a_row_with_a_missing_field_fails_naming_the_file_and_line() {
    String countries = ONE_COUNTRY + "GB,United Kingdom,44,16\n";

    assertThatThrownBy(() -> Catalog.fromCsv(countries, ONE_SERVICE))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("catalog/countries.csv line 3: expected 6 fields, found 4");
  }

  @Test
  void a_malformed_value_fails_naming_the_file_and_line() {
    String services = ONE_SERVICE + "\ntg,Telegram,Tele Gram,\n";

    assertThatThrownBy(() -> Catalog.fromCsv(ONE_COUNTRY, services))
        .hasMessageStartingWith("catalog/services.csv line 4: fivesim_name 'Tele Gram'");
  }

  @Test
  void a_key_naming_two_countries_fails_instead_of_silently_overriding() {
    String countries = ONE_COUNTRY + "CA,Canada,1,36,canada,usa\n";

    assertThatThrownBy(() -> Catalog.fromCsv(countries, ONE_SERVICE))
        .hasMessage("catalog/countries.csv line 3: 'usa' already names US");
  }

  @Test
  void a_wrong_header_fails() {
    assertThatThrownBy(() -> Catalog.fromCsv("iso,name\n", ONE_SERVICE))
        .hasMessageStartingWith("catalog/countries.csv line 1: header must be iso,name,dial_code");
  }

  @Test
  void quoted_fields_may_hold_commas_and_quotes() {
    assertThat(Catalog.parseLine("KR,\"Korea, Republic of\",82,190,,\"say \"\"hi\"\"\""))
        .containsExactly("KR", "Korea, Republic of", "82", "190", "", "say \"hi\"");
    assertThat(Catalog.parseLine("a,,")).containsExactly("a", "", "");
  }

  @Test
  void a_quoted_name_with_a_comma_loads() {
    String countries = COUNTRY_HEADER + "KR,\"Korea, Republic of\",82,190,southkorea,\n";

    assertThat(Catalog.fromCsv(countries, ONE_SERVICE).country("korea, republic of"))
        .hasValueSatisfying(c -> assertThat(c.iso()).isEqualTo("KR"));
  }

  @Test
  void an_unterminated_quote_fails_naming_the_line() {
    String countries = COUNTRY_HEADER + "KR,\"Korea,82,190,,\n";

    assertThatThrownBy(() -> Catalog.fromCsv(countries, ONE_SERVICE))
        .hasMessage("catalog/countries.csv line 2: unterminated quoted field");
  }
}
