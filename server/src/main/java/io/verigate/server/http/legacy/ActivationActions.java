package io.verigate.server.http.legacy;

import io.verigate.client.VerigateClient;
import io.verigate.server.account.ApiKeyFormat;
import io.verigate.server.account.Operation;
import io.verigate.server.account.Principal;
import io.verigate.server.activation.Activation;
import io.verigate.server.activation.ActivationService;
import io.verigate.server.activation.ActivationStatus;
import io.verigate.server.activation.PurchaseRequest;
import io.verigate.server.catalog.Catalog;
import io.verigate.server.catalog.Country;
import io.verigate.server.catalog.Prices;
import io.verigate.server.inbound.Inbox;
import io.verigate.server.inbound.StoredSms;
import io.verigate.server.inventory.Inventory;
import io.verigate.server.supply.ResalePath;
import io.verigate.server.system.Failure;
import io.verigate.server.wallet.Money;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/** Buying numbers and following one activation: getNumber(V2), getExtraActivation, getStatus(V2), setStatus, getFullSms. */
final class ActivationActions {
  /** The request parameters that make up an order, for telling a repeated orderId from a reused one. */
  private static final List<String> ORDER_PARAMETERS =
      List.of("service", "country", "operator", "maxPrice", "phoneException", "forward");

  private final ActivationService activations;
  private final Inbox inbox;
  private final Catalog catalog;
  /** ISO 4217 numeric code of the deployment's currency, as sms-activate's JSON answers give it. */
  private final int currency;

  ActivationActions(ActivationService activations, Inbox inbox, Catalog catalog, int currency) {
    this.activations = activations;
    this.inbox = inbox;
    this.catalog = catalog;
    this.currency = currency;
  }

  void addTo(Map<String, LegacyRoutes.Action> actions) {
    actions.put("getNumber", LegacyRoutes.Action.of(Operation.BUY, (principal, request) -> accessNumber(buy(principal, request))));
    actions.put("getNumberV2", LegacyRoutes.Action.of(Operation.BUY, (principal, request) -> numberV2(buy(principal, request))));
    actions.put("getExtraActivation", LegacyRoutes.Action.of(Operation.BUY, this::extraActivation));
    actions.put("getStatus", LegacyRoutes.Action.of(Operation.POLL,
        (principal, request) -> Formats.statusToken(activations.get(principal, request.activationId("id")))));
    actions.put("getStatusV2", LegacyRoutes.Action.of(Operation.POLL, this::statusV2));
    actions.put("setStatus", LegacyRoutes.Action.of(Operation.CHANGE, this::setStatus));
    actions.put("getFullSms", LegacyRoutes.Action.of(Operation.POLL, this::fullSms));
  }

  // ---- buying

  /** One purchase from getNumber's parameters; a comma list of operators is the customer's order of preference. */
  private Activation buy(Principal principal, LegacyRequest request) {
    if ("1".equals(request.param("forward"))) {
      // Numbers with call forwarding are not offered.
      throw new Refusal("NO_NUMBERS");
    }
    String orderId = request.param("orderId");
    // Namespaced and fixed-length, so any orderId fits the key column and none collides with a REST Idempotency-Key.
    String key = orderId == null ? null : "sms-activate:" + ApiKeyFormat.sha256(orderId);
    String fingerprint = orderId == null ? null : ApiKeyFormat.sha256(ORDER_PARAMETERS.stream()
        .map(name -> name + "=" + Objects.toString(request.param(name), ""))
        .collect(Collectors.joining("&")));
    String country = request.countryOrDefault();
    Money maxPrice = maxPrice(request.param("maxPrice"));
    List<String> excluded = excludedPrefixes(request.param("phoneException"));
    return activations.purchase(principal, new PurchaseRequest(request.param("service"), List.of(country),
        operators(request.param("operator")), maxPrice, excluded, key, fingerprint)
        .withResalePath(ResalePath.parse(request.header(VerigateClient.VIA_HEADER))));
  }

  private static List<String> operators(String raw) {
    List<String> operators = new ArrayList<>();
    for (String part : raw == null ? new String[0] : raw.split(",")) {
      if (!part.isBlank()) {
        try {
          operators.add(Inventory.normaliseOperator(part));
        } catch (Failure malformed) {
          throw new Refusal("WRONG_OPERATOR");
        }
      }
    }
    return operators.isEmpty() || operators.contains(Prices.ANY_OPERATOR) ? List.of(Prices.ANY_OPERATOR) : operators;
  }

  private static Money maxPrice(String raw) {
    if (raw == null) {
      return null;
    }
    try {
      BigDecimal value = new BigDecimal(raw.replace(',', '.'));
      // Rounded down: a client's float (0.30000000000000004) must never let a number cost more than it allowed.
      return Money.parse(value.setScale(Money.SCALE, RoundingMode.FLOOR).toPlainString());
    } catch (NumberFormatException | Failure malformed) {
      throw new Refusal("WRONG_MAX_PRICE");
    }
  }

  private static List<String> excludedPrefixes(String raw) {
    try {
      return ActivationService.prefixes(raw);
    } catch (Failure malformed) {
      throw new Refusal("WRONG_EXCEPTION_PHONE");
    }
  }

  private static String accessNumber(Activation activation) {
    return "ACCESS_NUMBER:" + activation.id() + ":" + Formats.phone(activation);
  }

  record NumberV2(int activationId, String phoneNumber, BigDecimal activationCost, int currency, String countryCode,
      int countryPhoneCode, String canGetAnotherSms, String activationTime, String activationEndTime,
      String activationOperator) {}

  private NumberV2 numberV2(Activation a) {
    Country country = catalog.byIso(a.country()).orElseThrow();
    return new NumberV2(a.id(), Formats.phone(a), Formats.amount(a.price()), currency, Formats.countryId(country),
        Integer.parseInt(country.dialCode()), a.status().isLive() ? "1" : "0", Formats.time(a.createdAt()),
        Formats.time(a.expiresAt()), a.operator());
  }

  /** The same number again for the same service, named by the activation that had it. */
  private String extraActivation(Principal principal, LegacyRequest request) {
    Activation previous = activations.get(principal, request.activationId("activationId", "id"));
    return accessNumber(activations.reuse(principal, previous.service(), previous.phone()));
  }

  // ---- following an activation

  record StatusV2(int verificationType, Sms sms, Object call) {}

  record Sms(String dateTime, String code, String text) {}

  /** The structured status: the SMS once a code is there; a cancelled, expired or banned activation says so. */
  private Object statusV2(Principal principal, LegacyRequest request) {
    Activation a = activations.get(principal, request.activationId("id"));
    if (!a.status().isLive() && a.status() != ActivationStatus.FINISHED) {
      return "STATUS_CANCEL";
    }
    Sms sms = Formats.hasCurrentCode(a) ? new Sms(Formats.time(a.codeAt()), Formats.code(a), codeMessage(principal, a)) : null;
    return new StatusV2(0, sms, null);
  }

  private String setStatus(Principal principal, LegacyRequest request) {
    int id = request.activationId("id");
    return switch (Objects.toString(request.param("status"), "")) {
      case "1" -> {
        // "The SMS was sent": nothing to do but acknowledge, while the activation is live.
        if (!activations.get(principal, id).status().isLive()) {
          throw new Refusal("BAD_STATUS");
        }
        yield "ACCESS_READY";
      }
      case "3" -> {
        activations.requestAnotherCode(principal, id);
        yield "ACCESS_RETRY_GET";
      }
      case "6" -> {
        activations.finish(principal, id);
        yield "ACCESS_ACTIVATION";
      }
      case "8" -> {
        activations.cancel(principal, id);
        yield "ACCESS_CANCEL";
      }
      default -> throw new Refusal("BAD_STATUS");
    };
  }

  private String fullSms(Principal principal, LegacyRequest request) {
    Activation a = activations.get(principal, request.activationId("id"));
    if (Formats.hasCurrentCode(a)) {
      return "FULL_SMS:" + codeMessage(principal, a);
    }
    return a.status() == ActivationStatus.WAITING ? "STATUS_WAIT_CODE" : "STATUS_CANCEL";
  }

  /** The full text of the SMS that brought the current code (later messages without a code do not replace it). */
  private String codeMessage(Principal principal, Activation a) {
    List<StoredSms> messages = inbox.messages(principal, a.id());
    for (int i = messages.size() - 1; i >= 0; i--) {
      if (messages.get(i).code() != null) {
        return messages.get(i).text();
      }
    }
    return a.smsText();
  }
}