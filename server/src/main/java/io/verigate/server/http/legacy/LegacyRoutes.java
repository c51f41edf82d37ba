package io.verigate.server.http.legacy;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.http.HttpStatus;
import io.verigate.server.account.Operation;
import io.verigate.server.account.Principal;
import io.verigate.server.activation.ActivationService;
import io.verigate.server.activation.PriceAboveMax;
import io.verigate.server.catalog.Catalog;
import io.verigate.server.catalog.Prices;
import io.verigate.server.http.support.EarlyRefusals;
import io.verigate.server.http.support.Gate;
import io.verigate.server.http.support.RateLimitHeaders;
import io.verigate.server.inbound.Inbox;
import io.verigate.server.inventory.Inventory;
import io.verigate.server.inventory.Stock;
import io.verigate.server.system.DatabaseUnavailable;
import io.verigate.server.system.Failure;
import io.verigate.server.system.RetryLater;
import io.verigate.server.wallet.Wallets;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * sms-activate's {@code handler_api.php}, the protocol most SMS-activation clients speak: {@code action}
 * selects the operation, {@code api_key} authenticates, answers are plain-text tokens or JSON, and every
 * refusal is a token sent with HTTP 200, never a 500 or an HTML page. A translation into the core services,
 * with no rules of its own.
 */
public final class LegacyRoutes {
  public static final String PREFIX = "/stubs/";
  public static final String PATH = PREFIX + "handler_api.php";
  private static final Logger log = LoggerFactory.getLogger(LegacyRoutes.class);
  /** sms-activate's answer to a failure on its side; both reference clients recognise it as one. */
  private static final String SERVER_ERROR = "ERROR_SQL";
  private static final String TEXT = "text/plain; charset=utf-8";

  /** What an action answers: a token (a String) or a value written as JSON. */
  @FunctionalInterface
  interface Answer {
    Object answer(Principal principal, LegacyRequest request);
  }

  /** One action: the operation the access gate admits it as, and its answer. */
  record Action(Operation operation, Answer answer) {
    static Action of(Operation operation, Answer answer) {
      return new Action(operation, answer);
    }

    static Action reading(Answer answer) {
      return new Action(Operation.READ, answer);
    }
  }

  private final Gate gate;
  private final Wallets wallets;
  private final Clock clock;
  private final Map<String, Action> actions;

  public LegacyRoutes(Gate gate, ActivationService activations, Wallets wallets, Catalog catalog, Prices prices,
      Inventory inventory, Inbox inbox, String currency, Clock clock) {
    this.gate = gate;
    this.wallets = wallets;
    this.clock = clock;
    Map<String, Action> all = new HashMap<>();
    all.put("getBalance", Action.reading(this::balance));
    // Verigate pays no cashback, so the balance with cashback is the balance.
    all.put("getBalanceAndCashBack", Action.reading(this::balance));
    int currencyNumber = Formats.currencyNumber(currency);
    new ActivationActions(activations, inbox, catalog, currencyNumber).addTo(all);
    new ActivationLists(activations, catalog, currencyNumber).addTo(all);
    new ReferenceActions(catalog, prices, inventory, new Stock(inventory, catalog)).addTo(all);
    this.actions = Map.copyOf(all);
  }

  public void register(RoutesConfig routes) {
    routes.get(PATH, this::handle);
    routes.post(PATH, this::handle);
  }

  private void handle(Context ctx) {
    Object answer;
    try {
      answer = answer(ctx, new LegacyRequest(ctx));
    } catch (Refusal refusal) {
      answer = refusal.token();
    } catch (Failure failure) {
      answer = token(failure, clock.instant());
      RateLimitHeaders.forRefusal(ctx, failure);
    } catch (HttpResponseException refusedByHttp) {
      // A body over the limit: the app answers it in this dialect's words (BodyLimit), and it is no server failure.
      throw refusedByHttp;
    } catch (RuntimeException e) {
      log.error("unhandled error on {} {}", ctx.method(), PATH, e);
      answer = SERVER_ERROR;
    }
    if (answer instanceof String token) {
      ctx.contentType(TEXT).result(token);
    } else {
      ctx.json(answer);
    }
  }

  /**
   * A request under {@code /stubs/} that the server refused before routing it (a broken path, an oversized
   * header): a token with HTTP 200 like every refusal here, since the official client cannot read the body of
   * any other status. Its action could not be read, so it is a bad action.
   */
  public static EarlyRefusals.Answer refuseUnread(int status, String detail) {
    if (status == HttpStatus.CONTENT_TOO_LARGE.getCode()) {
      // Its own status, unlike every other refusal here: a client that sends such bodies must be told apart.
      return new EarlyRefusals.Answer(status, TEXT, "REQUEST_TOO_LARGE");
    }
    return new EarlyRefusals.Answer(200, TEXT, status >= 500 ? SERVER_ERROR : "BAD_ACTION");
  }

  private Object answer(Context ctx, LegacyRequest request) {
    String key = request.param("api_key");
    if (key == null) {
      throw new Refusal("NO_KEY");
    }
    String name = request.param("action");
    Action action = name == null ? null : actions.get(name);
    // An unknown action is admitted as a read, so a bad key is still told apart from a bad action.
    Principal principal = gate.customer(ctx, key, action == null ? Operation.READ : action.operation());
    if (action == null) {
      throw new Refusal("BAD_ACTION");
    }
    return action.answer().answer(principal, request);
  }

  private String balance(Principal principal, LegacyRequest request) {
    return "ACCESS_BALANCE:" + wallets.balance(principal.customerId(), principal.mode()).available().toDecimalString();
  }

  /** The core's refusals in sms-activate's words, as they stand at {@code now}. */
  static String token(Failure failure, Instant now) {
    if (failure instanceof PriceAboveMax above) {
      return "WRONG_MAX_PRICE:" + above.cheapest().toDecimalString();
    }
    if (failure instanceof DatabaseUnavailable) {
      // sms-activate's own word for a failure on its side, which clients retry.
      return SERVER_ERROR;
    }
    if (failure instanceof RetryLater later) {
      // sms-activate's "blocked until", which its clients parse (the official Java client, HeroSMS's BannedError).
      return "BANNED:" + Formats.time(now.plusSeconds(later.retryAfterSeconds()));
    }
    return switch (failure.code()) {
      // sms-activate has no scopes or allowlists; its clients know only that the key cannot do this.
      case BAD_KEY, SCOPE_REQUIRED, ADDRESS_NOT_ALLOWED -> "BAD_KEY";
      case UNKNOWN_SERVICE -> "BAD_SERVICE";
      case UNKNOWN_COUNTRY -> "BAD_COUNTRY";
      case NO_BALANCE -> "NO_BALANCE";
      case NO_NUMBERS -> "NO_NUMBERS";
      case ACTIVATION_NOT_FOUND -> "NO_ACTIVATION";
      case EARLY_CANCEL_DENIED -> "EARLY_CANCEL_DENIED";
      // The activation is not in a state that allows the requested setStatus.
      case INVALID_STATE -> "BAD_STATUS";
      case IDEMPOTENCY_KEY_REUSED, IDEMPOTENCY_IN_FLIGHT -> "ORDER_ALREADY_EXISTS";
      case REUSE_NOT_POSSIBLE -> "RENEW_ACTIVATION_NOT_AVAILABLE";
      // sms-activate's answer to a customer with too many activations at once.
      case LIVE_ACTIVATION_LIMIT -> "CHANNELS_LIMIT";
      // A request sms-activate has no word for, such as a malformed Verigate-Via header from a reselling node: its
      // word for a request it cannot serve as sent, which clients do not retry as they would the server error.
      case BAD_REQUEST -> "BAD_ACTION";
      default -> {
        // The dialect validates its parameters before the core sees them, so this is a gap in the translation.
        log.warn("no sms-activate token for {}: {}", failure.code(), failure.getMessage());
        yield SERVER_ERROR;
      }
    };
  }
}
