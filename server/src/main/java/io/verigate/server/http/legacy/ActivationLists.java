package io.verigate.server.http.legacy;

import io.verigate.server.account.Principal;
import io.verigate.server.activation.Activation;
import io.verigate.server.activation.ActivationFilter;
import io.verigate.server.activation.ActivationService;
import io.verigate.server.activation.ActivationStatus;
import io.verigate.server.catalog.Catalog;
import io.verigate.server.catalog.Country;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/** A customer's activations in bulk: getActiveActivations (the live ones) and getHistory (all of them). */
final class ActivationLists {
  /** How many live activations of each state getActiveActivations looks at; far more than anyone holds at once. */
  private static final int LIVE_WINDOW = 500;
  private static final int HISTORY_PAGE = 100;

  private final ActivationService activations;
  private final Catalog catalog;
  /** ISO 4217 numeric code of the deployment's currency. */
  private final int currency;

  ActivationLists(ActivationService activations, Catalog catalog, int currency) {
    this.activations = activations;
    this.catalog = catalog;
    this.currency = currency;
  }

  void addTo(Map<String, LegacyRoutes.Action> actions) {
    actions.put("getActiveActivations", LegacyRoutes.Action.reading(this::activeActivations));
    actions.put("getHistory", LegacyRoutes.Action.reading(this::history));
  }

  record ActiveActivation(String activationId, String serviceCode, String phoneNumber, BigDecimal activationCost,
      String activationStatus, String smsCode, String smsText, String activationTime, String discount,
      String repeated, String countryCode, String countryName, String canGetAnotherSms, int currency) {}

  /** sms-activate calls the list activeActivations, HeroSMS calls it data; both carry the same rows. */
  record ActiveActivations(String status, List<ActiveActivation> activeActivations, List<ActiveActivation> data) {}

  private Object activeActivations(Principal principal, LegacyRequest request) {
    int start = request.paging(0, LIVE_WINDOW, "start");
    int limit = request.paging(100, 100, "limit");
    List<Activation> live = new ArrayList<>();
    for (ActivationStatus status : List.of(ActivationStatus.WAITING, ActivationStatus.RECEIVED)) {
      live.addAll(activations.list(principal,
          new ActivationFilter(status, null, null, Integer.MAX_VALUE, LIVE_WINDOW)));
    }
    live.sort(Comparator.comparingInt(Activation::id).reversed());
    List<ActiveActivation> rows = live.stream().skip(start).limit(limit).map(this::activeRow).toList();
    if (rows.isEmpty()) {
      return "NO_ACTIVATIONS";
    }
    return new ActiveActivations("success", rows, rows);
  }

  private ActiveActivation activeRow(Activation a) {
    Country country = catalog.byIso(a.country()).orElseThrow();
    boolean showsCode = Formats.hasCurrentCode(a);
    return new ActiveActivation(String.valueOf(a.id()), a.service(), Formats.phone(a), Formats.amount(a.price()),
        Formats.statusName(a), showsCode ? Formats.code(a) : null, showsCode ? a.smsText() : null,
        Formats.time(a.createdAt()), "0.00", "0", Formats.countryId(country), country.name(), "1", currency);
  }

  record HistoryItem(int id, String date, String phone, String sms, BigDecimal cost, String status, int currency) {}

  /**
   * The customer's activations, newest first, optionally between two unix times. Pages back through the
   * activations until enough match or they are older than {@code start}.
   */
  private List<HistoryItem> history(Principal principal, LegacyRequest request) {
    Instant from = timestamp(request.param("start"));
    Instant to = timestamp(request.param("end"));
    int offset = request.paging(0, 10_000, "offset");
    int size = request.paging(50, 100, "size", "limit");
    List<Activation> matched = new ArrayList<>();
    int before = Integer.MAX_VALUE;
    boolean more = true;
    while (more && matched.size() < offset + size) {
      List<Activation> page = activations.list(principal,
          new ActivationFilter(null, null, null, before, HISTORY_PAGE));
      for (Activation a : page) {
        if (from != null && a.createdAt().isBefore(from)) {
          more = false;
          break;
        }
        if (to == null || !a.createdAt().isAfter(to)) {
          matched.add(a);
        }
      }
      more = more && page.size() == HISTORY_PAGE;
      if (more) {
        before = page.get(page.size() - 1).id();
      }
    }
    return matched.stream().skip(offset).limit(size)
        .map(a -> new HistoryItem(a.id(), Formats.time(a.createdAt()), Formats.phone(a), a.smsText(),
            Formats.amount(a.price()), Formats.statusName(a), currency))
        .toList();
  }

  private static Instant timestamp(String raw) {
    if (raw == null) {
      return null;
    }
    if (!raw.matches("\\d{1,12}")) {
      throw new Refusal("WRONG_DATE");
    }
    return Instant.ofEpochSecond(Long.parseLong(raw));
  }
}
