package io.verigate.server.http.kopeechka;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.verigate.server.account.Operation;
import io.verigate.server.account.Principal;
import io.verigate.server.activation.ActivationStatus;
import io.verigate.server.email.EmailActivation;
import io.verigate.server.email.EmailActivations;
import io.verigate.server.email.EmailDomains;
import io.verigate.server.email.MailFilter;
import io.verigate.server.http.support.Gate;
import io.verigate.server.system.DatabaseUnavailable;
import io.verigate.server.system.ErrorCode;
import io.verigate.server.system.Failure;
import io.verigate.server.wallet.Wallets;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Kopeechka mail API ({@code /mailbox-get-email}, {@code /mailbox-get-message}, ... at the root, as on
 * api.kopeechka.store), so tools written for it switch by changing the host. Every answer is HTTP 200 with
 * {@code {"status":"OK",...}} or {@code {"status":"ERROR","value":TOKEN}} ({@code type=JSON}, the default), or the
 * same as {@code OK|...} / {@code ERROR|TOKEN} lines ({@code type=TEXT}). The key is the {@code token} parameter.
 * Translation only: the rules are the email core's.
 *
 * <p>Kopeechka is link-first: {@code value} is the letter's verification link when it has one, else its code. Its
 * quirks are copied: a reorder refused because no letter came answers {@code Activation not found} and one for an
 * unknown address {@code BAD_EMAIL}, both as JSON even in TEXT mode.
 */
public final class KopeechkaRoutes {
  private static final Logger log = LoggerFactory.getLogger(KopeechkaRoutes.class);
  private static final String TEXT = "text/plain; charset=utf-8";
  private static final int BULK_MAX = 100;

  private final Gate gate;
  private final EmailActivations activations;
  private final Wallets wallets;

  public KopeechkaRoutes(Gate gate, EmailActivations activations, Wallets wallets) {
    this.gate = gate;
    this.activations = activations;
    this.wallets = wallets;
  }

  public void register(RoutesConfig routes) {
    route(routes, "/mailbox-get-email", Operation.BUY, this::getEmail);
    route(routes, "/mailbox-get-message", Operation.POLL, this::getMessage);
    route(routes, "/mailbox-cancel", Operation.CHANGE, this::cancel);
    route(routes, "/mailbox-reorder", Operation.BUY, this::reorder);
    route(routes, "/mailbox-get-domains", Operation.READ, this::domains);
    route(routes, "/mailbox-zones", Operation.READ, this::zones);
    route(routes, "/mailbox-get-fresh-id", Operation.READ, this::freshId);
    route(routes, "/mailbox-get-bulk", Operation.READ, this::bulk);
    route(routes, "/mailbox-set-comment", Operation.CHANGE, this::setComment);
    route(routes, "/user-balance", Operation.READ, this::balance);
  }

  /** An answer in Kopeechka's shape: {@code status} OK or ERROR and its fields, or a fixed JSON body. */
  private record Answer(boolean ok, Map<String, Object> fields, List<String> text, boolean alwaysJson) {
    static Answer ok(Map<String, Object> fields, String... text) {
      return new Answer(true, fields, List.of(text), false);
    }

    static Answer error(String token) {
      return new Answer(false, Map.of("value", token), List.of(token), false);
    }
  }

  /** A refusal in this dialect's words. */
  private static final class Refused extends RuntimeException {
    final Answer answer;

    Refused(Answer answer) {
      super(null, null, false, false);
      this.answer = answer;
    }
  }

  private void route(RoutesConfig routes, String path, Operation operation,
      BiFunction<Principal, Context, Answer> action) {
    io.javalin.http.Handler handler = ctx -> {
      Answer answer;
      try {
        String token = ctx.queryParam("token");
        if (token == null || token.isBlank()) {
          throw new Refused(Answer.error("BAD_TOKEN"));
        }
        answer = action.apply(gate.customer(ctx, token.strip(), operation), ctx);
      } catch (Refused refused) {
        answer = refused.answer;
      } catch (Failure failure) {
        answer = Answer.error(token(failure));
      } catch (HttpResponseException refusedByHttp) {
        throw refusedByHttp;
      } catch (RuntimeException e) {
        log.error("unhandled error on {} {}", ctx.method(), ctx.path(), e);
        answer = Answer.error("SYSTEM_ERROR");
      }
      write(ctx, answer);
    };
    routes.get(path, handler);
    routes.post(path, handler);
  }

  private static void write(Context ctx, Answer answer) {
    boolean text = "TEXT".equalsIgnoreCase(ctx.queryParam("type"));
    if (text && !answer.alwaysJson()) {
      String line = String.join("|", answer.text());
      ctx.contentType(TEXT).result(answer.ok() ? (line.isEmpty() ? "OK" : "OK|" + line) : "ERROR|" + line);
      return;
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("status", answer.ok() ? "OK" : "ERROR");
    body.putAll(answer.fields());
    ctx.json(body);
  }

  /** The core's refusals as Kopeechka's tokens. */
  private static String token(Failure failure) {
    if (failure instanceof DatabaseUnavailable) {
      return "SYSTEM_ERROR";
    }
    return switch (failure.code()) {
      case BAD_KEY, SCOPE_REQUIRED, ADDRESS_NOT_ALLOWED, FORBIDDEN -> "BAD_TOKEN";
      case UNKNOWN_SITE -> "BAD_SITE";
      case UNKNOWN_DOMAIN -> "BAD_DOMAIN";
      case NO_BALANCE -> "BAD_BALANCE";
      case NO_NUMBERS -> "OUT_OF_STOCK";
      case ACTIVATION_NOT_FOUND -> "NO_ACTIVATION";
      case RATE_LIMITED, LIVE_ACTIVATION_LIMIT, LOW_SUCCESS_RATE -> "TIME_LIMIT_EXCEED";
      // Kopeechka has no token for a malformed parameter (a regex that does not compile): this one says what it is.
      case BAD_REQUEST -> "BAD_REQUEST";
      default -> {
        log.warn("no Kopeechka token for {}: {}", failure.code(), failure.getMessage());
        yield "SYSTEM_ERROR";
      }
    };
  }

  private Answer getEmail(Principal principal, Context ctx) {
    String site = ctx.queryParam("site");
    EmailActivation bought = null;
    String mailType = ctx.queryParam("mail_type");
    if (mailType == null || mailType.isBlank() || !mailType.contains(".")) {
      // No domain, or one of Kopeechka's domain groups (ALL, REAL, mine, GMX, ...): any domain the operator serves.
      bought = activations.purchase(principal, site, null, filter(ctx));
    } else {
      // A comma list of domains: the first one served wins.
      Failure last = null;
      for (String domain : mailType.split(",")) {
        try {
          bought = activations.purchase(principal, site, domain.strip(), filter(ctx));
          break;
        } catch (Failure refused) {
          if (refused.code() != ErrorCode.UNKNOWN_DOMAIN) {
            throw refused;
          }
          last = refused;
        }
      }
      if (bought == null) {
        throw last;
      }
    }
    return task(bought);
  }

  /**
   * What the task waits for: {@code sender}, {@code subject} and {@code regex} as Kopeechka takes them. {@code password}
   * asks for the mailbox's webmail password; Verigate's mailboxes have no webmail, so it is accepted and no password
   * is given.
   */
  private static MailFilter filter(Context ctx) {
    return MailFilter.of(ctx.queryParam("sender"), ctx.queryParam("subject"), ctx.queryParam("regex"));
  }

  private static Answer task(EmailActivation a) {
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("id", Integer.toString(a.id()));
    fields.put("mail", a.address());
    return Answer.ok(fields, Integer.toString(a.id()), a.address());
  }

  private Answer getMessage(Principal principal, Context ctx) {
    int id = id(ctx);
    EmailActivation a = activations.get(principal, id);
    String value = a.otpLink() != null ? a.otpLink() : a.otpCode();
    if (value == null) {
      if (a.status() == ActivationStatus.CANCELED || a.status() == ActivationStatus.EXPIRED) {
        throw new Refused(Answer.error("ACTIVATION_CANCELED"));
      }
      throw new Refused(Answer.error("WAIT_LINK"));
    }
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("value", value);
    boolean full = "1".equals(ctx.queryParam("full"));
    String message = full ? activations.fullMessage(principal, id).orElse("") : null;
    if (full) {
      fields.put("fullmessage", message);
    }
    return Answer.ok(fields, full ? message : value);
  }

  /** Ends a task: refunded when no letter came, otherwise it is done (and charged, as the letter was delivered). */
  private Answer cancel(Principal principal, Context ctx) {
    int id = id(ctx);
    EmailActivation a = activations.get(principal, id);
    if (a.status() == ActivationStatus.CANCELED || a.status() == ActivationStatus.EXPIRED) {
      throw new Refused(Answer.error("ACTIVATION_CANCELED"));
    }
    if (a.value() == null) {
      activations.cancel(principal, id);
    } else {
      activations.finish(principal, id);
    }
    return Answer.ok(Map.of());
  }

  private Answer reorder(Principal principal, Context ctx) {
    String email = ctx.queryParam("email");
    if (email == null || email.isBlank() || !email.contains("@")) {
      throw new Refused(jsonOnly("BAD_EMAIL"));
    }
    try {
      return task(activations.reorder(principal, ctx.queryParam("site"), email, filter(ctx)));
    } catch (Failure refused) {
      if (refused.code() == ErrorCode.ACTIVATION_NOT_FOUND) {
        throw new Refused(jsonOnly("BAD_EMAIL"));
      }
      if (refused.code() == ErrorCode.INVALID_STATE) {
        throw new Refused(jsonOnly("Activation not found"));
      }
      throw refused;
    }
  }

  /** Kopeechka answers these refusals of a reorder as JSON whatever {@code type} asked for. */
  private static Answer jsonOnly(String value) {
    return new Answer(false, Map.of("value", value), List.of(value), true);
  }

  private Answer domains(Principal principal, Context ctx) {
    List<String> names = activations.domains().offers(principal.mode(), site(ctx)).stream()
        .map(EmailDomains.Offer::domain).toList();
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("count", names.size());
    fields.put("domains", names);
    return Answer.ok(fields, String.join(",", names));
  }

  private Answer zones(Principal principal, Context ctx) {
    List<Map<String, Object>> zones = new ArrayList<>();
    List<String> lines = new ArrayList<>();
    for (EmailDomains.Offer offer : activations.domains().offers(principal.mode(), site(ctx))) {
      Map<String, Object> zone = new LinkedHashMap<>();
      zone.put("name", offer.domain());
      zone.put("cost", offer.price().toBigDecimal().stripTrailingZeros());
      zone.put("count", EmailDomains.AVAILABLE);
      zones.add(zone);
      lines.add(offer.domain() + ":" + offer.price().toDecimalString() + ":" + EmailDomains.AVAILABLE);
    }
    return Answer.ok(Map.of("popular", zones), String.join(",", lines));
  }

  private Answer freshId(Principal principal, Context ctx) {
    String email = ctx.queryParam("email");
    if (email == null || email.isBlank()) {
      throw new Refused(Answer.error("BAD_EMAIL"));
    }
    EmailActivation latest = activations.list(principal, null, site(ctx), email.strip().toLowerCase(Locale.ROOT),
        Integer.MAX_VALUE, 1).stream().findFirst().orElseThrow(() -> new Refused(Answer.error("NO_ACTIVATION")));
    return Answer.ok(Map.of("id", Integer.toString(latest.id())), Integer.toString(latest.id()));
  }

  private Answer bulk(Principal principal, Context ctx) {
    int count = count(ctx.queryParam("count"));
    String email = ctx.queryParam("email");
    String comment = ctx.queryParam("comment");
    String site = ctx.queryParam("site") == null || ctx.queryParam("site").isBlank() ? null : site(ctx);
    List<EmailActivation> found = activations.list(principal, null, site,
            email == null || email.isBlank() ? null : email.strip().toLowerCase(Locale.ROOT), Integer.MAX_VALUE,
            comment == null ? count : BULK_MAX).stream()
        .filter(a -> comment == null || comment.equals(a.comment()))
        .limit(count).toList();
    List<Map<String, Object>> items = new ArrayList<>();
    List<String> lines = new ArrayList<>();
    for (EmailActivation a : found) {
      String value = a.otpLink() != null ? a.otpLink() : a.otpCode() == null ? "" : a.otpCode();
      Map<String, Object> item = new LinkedHashMap<>();
      item.put("id", Integer.toString(a.id()));
      item.put("service", a.site());
      item.put("email", a.address());
      item.put("date", Long.toString(a.createdAt().getEpochSecond()));
      item.put("status", status(a));
      item.put("value", value);
      item.put("comment", a.comment() == null ? "" : a.comment());
      items.add(item);
      lines.add(String.join(":", item.values().stream().map(Object::toString).toList()));
    }
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("count", items.size());
    fields.put("items", items);
    return new Answer(true, fields, List.of(String.join("\n", lines)), false);
  }

  /** Kopeechka's task states: READY while waiting, DONE once the letter came, CANCELED when it ended without one. */
  private static String status(EmailActivation a) {
    if (a.status() == ActivationStatus.WAITING) {
      return "READY";
    }
    return a.value() != null ? "DONE" : "CANCELED";
  }

  private Answer setComment(Principal principal, Context ctx) {
    String comment = ctx.queryParam("comment");
    if (comment == null || comment.length() > 200) {
      throw new Refused(Answer.error("BAD_COMMENT"));
    }
    activations.comment(principal, id(ctx), comment);
    return Answer.ok(Map.of());
  }

  private Answer balance(Principal principal, Context ctx) {
    String balance = wallets.balance(principal.customerId(), principal.mode()).available().toBigDecimal()
        .setScale(6, RoundingMode.UNNECESSARY).toPlainString();
    return Answer.ok(Map.of("balance", balance), balance);
  }

  private static String site(Context ctx) {
    return EmailDomains.domainName("site", ctx.queryParam("site"));
  }

  /** A task id; anything that is not one names no task. */
  private static int id(Context ctx) {
    String id = ctx.queryParam("id");
    try {
      int parsed = Integer.parseInt(id == null ? "" : id.strip());
      if (parsed > 0) {
        return parsed;
      }
    } catch (NumberFormatException e) {
      // falls through
    }
    throw new Refused(Answer.error("NO_ACTIVATION"));
  }

  private static int count(String value) {
    if (value == null || value.isBlank()) {
      return 1;
    }
    try {
      int count = Integer.parseInt(value.strip());
      return Math.max(1, Math.min(BULK_MAX, count));
    } catch (NumberFormatException e) {
      return 1;
    }
  }
}
