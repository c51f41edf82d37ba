package io.verigate.server.http.dashboard;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.javalin.http.UploadedFile;
import io.verigate.server.account.Accounts;
import io.verigate.server.account.Actor;
import io.verigate.server.account.Mode;
import io.verigate.server.inventory.Inventory;
import io.verigate.server.inventory.NumberSource;
import io.verigate.server.inventory.NumberSources;
import io.verigate.server.inventory.SourceTraffic;
import io.verigate.server.system.ErrorCode;
import io.verigate.server.system.Failure;
import io.verigate.server.wallet.Money;
import io.verigate.server.wallet.Wallets;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToLongFunction;

/**
 * The operator's side of the dashboard under {@code /operator}, opened with the admin token: customers and their
 * wallets with a credit form, and number sources with their health, their traffic per day and a CSV import. Each
 * action is the admin API's, through the same core services, audited as the admin's.
 */
final class OperatorPages {
  static final String LOGIN = "/operator/login";
  /** A number per line is about 20 bytes: a megabyte is some fifty thousand numbers, more than one upload should be. */
  private static final long MAX_CSV_BYTES = 1024 * 1024;
  /** The days a source's traffic chart covers, today included. */
  private static final int TRAFFIC_DAYS = 7;

  private final Pages pages;
  private final Sessions sessions;
  private final OperatorView view;
  private final Accounts accounts;
  private final Wallets wallets;
  private final Inventory inventory;
  private final NumberSources sources;
  private final String currency;
  private final Clock clock;

  OperatorPages(Pages pages, Sessions sessions, OperatorView view, Accounts accounts, Wallets wallets,
      Inventory inventory, NumberSources sources, String currency, Clock clock) {
    this.view = view;
    this.clock = clock;
    this.pages = pages;
    this.sessions = sessions;
    this.accounts = accounts;
    this.wallets = wallets;
    this.inventory = inventory;
    this.sources = sources;
    this.currency = currency;
  }

  void register(RoutesConfig routes) {
    routes.get(LOGIN, ctx -> login(ctx, null));
    routes.post(LOGIN, pages.page(this::logIn));
    routes.post("/operator/logout", pages.page(this::logOut));
    routes.get("/operator", pages.page(ctx -> customers(ctx, null)));
    routes.post("/operator/customers/{id}/credit", pages.page(this::credit));
    routes.get("/operator/numbers", pages.page(ctx -> numbers(ctx, null)));
    routes.post("/operator/numbers", pages.page(this::importNumbers));
  }

  private void login(Context ctx, Failure refusal) {
    Map<String, Object> model = new LinkedHashMap<>();
    model.put("title", "Operator log-in");
    model.put("error", refusal == null ? null : refusal.getMessage());
    pages.render(ctx, "operator-login", model);
  }

  private void logIn(Context ctx) {
    sessions.checkOrigin(ctx);
    try {
      sessions.start(ctx, sessions.logins().operatorLogIn(ctx.formParam("token"), sessions.clientAddress(ctx)));
      ctx.redirect("/operator", HttpStatus.SEE_OTHER);
    } catch (Failure refusal) {
      ctx.status(refusal.code().httpStatus());
      login(ctx, refusal);
    }
  }

  private void logOut(Context ctx) {
    sessions.checkForm(ctx);
    sessions.end(ctx);
    ctx.redirect(LOGIN, HttpStatus.SEE_OTHER);
  }

  private void customers(Context ctx, String notice) {
    sessions.operator(ctx);
    Map<String, Object> model = model(ctx, "Customers");
    model.put("notice", notice);
    model.put("customers", accounts.customers().stream().map(c -> {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("id", c.id());
      row.put("name", c.name());
      row.put("live", wallets.balance(c.id(), Mode.LIVE).available().toDecimalString());
      row.put("test", wallets.balance(c.id(), Mode.TEST).available().toDecimalString());
      return row;
    }).toList());
    pages.render(ctx, "operator-customers", model);
  }

  private void credit(Context ctx) {
    sessions.operator(ctx);
    sessions.checkForm(ctx);
    long customer = accounts.existing(Long.parseLong(digits(ctx.pathParam("id"))));
    Mode mode = "test".equals(ctx.formParam("mode")) ? Mode.TEST : Mode.LIVE;
    String amount = ctx.formParam("amount");
    if (amount == null || amount.isBlank()) {
      throw new Failure(ErrorCode.BAD_REQUEST, "an amount such as 25.00 is required");
    }
    String memo = ctx.formParam("memo");
    wallets.credit(Actor.admin(sessions.clientAddress(ctx)), customer, mode, Money.parse(amount.trim()),
        memo == null || memo.isBlank() ? null : memo.trim());
    customers(ctx, "Credited " + Money.parse(amount.trim()).toDecimalString() + " " + currency + " to customer "
        + customer + " (" + (mode == Mode.LIVE ? "live" : "sandbox") + ").");
  }

  private void numbers(Context ctx, Inventory.ImportResult imported) {
    sessions.operator(ctx);
    Map<String, Object> model = model(ctx, "Numbers and sources");
    model.put("imported", imported == null ? null : Map.of("added", imported.added(), "duplicates",
        imported.duplicates(), "rejected", String.join(", ", imported.rejected())));
    List<NumberSource> all = sources.all();
    model.put("sources", all.stream().map(this::source).toList());
    traffic(model, all);
    pages.render(ctx, "operator-numbers", model);
  }

  /**
   * Each source's messages and refused requests per day over the last week, as two charts (sources that had neither
   * are left out) and a table of the same figures.
   */
  private void traffic(Map<String, Object> model, List<NumberSource> all) {
    LocalDate today = LocalDate.now(clock.withZone(ZoneOffset.UTC));
    List<LocalDate> days = today.minusDays(TRAFFIC_DAYS - 1).datesUntil(today.plusDays(1)).toList();
    List<SourceTraffic.Day> rows = sources.traffic().since(days.get(0));
    Map<Long, String> names = new LinkedHashMap<>();
    all.forEach(source -> names.put(source.id(), source.name()));
    Map<String, List<Long>> messages = new LinkedHashMap<>();
    Map<String, List<Long>> rejected = new LinkedHashMap<>();
    for (long sourceId : rows.stream().map(SourceTraffic.Day::sourceId).distinct().toList()) {
      String name = names.getOrDefault(sourceId, "source " + sourceId);
      messages.put(name, perDay(days, rows, sourceId, SourceTraffic.Day::messages));
      rejected.put(name, perDay(days, rows, sourceId, SourceTraffic.Day::rejected));
    }
    List<String> labels = days.stream().map(LocalDate::toString).toList();
    model.put("messagesChart", messages.isEmpty() ? null : Charts.counts("bar", labels, messages));
    model.put("rejectedChart", rejected.isEmpty() ? null : Charts.counts("bar", labels, rejected));
    model.put("traffic", rows.stream().map(row -> {
      Map<String, Object> line = new LinkedHashMap<>();
      line.put("day", row.day().toString());
      line.put("source", names.getOrDefault(row.sourceId(), "source " + row.sourceId()));
      line.put("messages", row.messages());
      line.put("rejected", row.rejected());
      return line;
    }).toList());
  }

  private static List<Long> perDay(List<LocalDate> days, List<SourceTraffic.Day> rows, long sourceId,
      ToLongFunction<SourceTraffic.Day> figure) {
    return days.stream().map(day -> rows.stream().filter(r -> r.sourceId() == sourceId && r.day().equals(day))
        .mapToLong(figure).sum()).toList();
  }

  private Map<String, Object> source(NumberSource source) {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("name", source.name());
    row.put("type", source.type());
    sources.view(source.name()).map(NumberSources.SourceView::health).ifPresent(health -> {
      row.put("messages", health.messages());
      row.put("rejected", health.rejected());
      row.put("lastMessage", health.lastMessageAt() == null ? "never" : Pages.when(health.lastMessageAt()));
      row.put("lastError", health.lastError() == null ? "" : health.lastError());
    });
    return row;
  }

  private void importNumbers(Context ctx) {
    sessions.operator(ctx);
    sessions.checkForm(ctx);
    UploadedFile file = ctx.uploadedFile("csv");
    if (file == null || file.size() == 0) {
      throw new Failure(ErrorCode.BAD_REQUEST, "choose a CSV file of numbers to import");
    }
    if (file.size() > MAX_CSV_BYTES) {
      throw new Failure(ErrorCode.PAYLOAD_TOO_LARGE, "the CSV file is larger than " + MAX_CSV_BYTES + " bytes");
    }
    String source = ctx.formParam("source");
    if (source == null || source.isBlank()) {
      throw new Failure(ErrorCode.BAD_REQUEST, "choose the source the numbers belong to");
    }
    String operator = ctx.formParam("operator");
    ctx.status(HttpStatus.CREATED);
    numbers(ctx, inventory.importCsv(Actor.admin(sessions.clientAddress(ctx)), source.trim(),
        operator == null || operator.isBlank() ? null : operator.trim(), read(file)));
  }

  private static String read(UploadedFile file) {
    try (InputStream in = file.content()) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private Map<String, Object> model(Context ctx, String title) {
    return view.model(ctx, title);
  }

  private static String digits(String id) {
    if (!id.matches("[0-9]{1,18}")) {
      throw new Failure(ErrorCode.NOT_FOUND, "no customer with id " + id);
    }
    return id;
  }
}
