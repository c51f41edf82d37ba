package io.verigate.server.http.dashboard;

import static io.verigate.server.http.dashboard.DashboardHttp.get;
import static io.verigate.server.http.dashboard.DashboardHttp.post;
import static org.assertj.core.api.Assertions.assertThat;

import io.verigate.server.http.support.Json;
import io.verigate.server.testing.TestApp;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The dashboard's tables and queries on PostgreSQL: sessions, log-ins, and the coverage and delivery figures. */
class DashboardIT {
  private static final String PASSWORD = "a long enough password";

  @Test
  void signsUpLogsInAndShowsTheDeliveryFiguresOnPostgres() throws Exception {
    try (TestApp app = TestApp.startOnPostgres(Map.of("dashboard-sign-up", "true"))) {
      HttpResponse<String> signedUp = post(app, "/dashboard/signup", null,
          Map.of("email", "pg@example.com", "password", PASSWORD, "repeat", PASSWORD));
      assertThat(signedUp.statusCode()).as(signedUp.body()).isEqualTo(303);
      HttpResponse<String> loggedIn = post(app, LoginPages.LOGIN, null,
          Map.of("email", "PG@example.com", "password", PASSWORD));
      assertThat(get(app, "/dashboard?mode=test", DashboardHttp.sessionCookie(loggedIn)).body()).contains("100.00");

      TestApp.Customer customer = app.liveCustomer("5.00");
      TestApp.Source source = app.createSource();
      app.stock(source.name(), "GH", null, 1);
      HttpResponse<String> bought = DashboardHttp.buy(app, customer.key(), "wa", "GH");
      assertThat(bought.statusCode()).as(bought.body()).isEqualTo(201);
      app.deliver(source, Json.MAPPER.readTree(bought.body()).get("phoneNumber").asText(), "WhatsApp",
          "Your WhatsApp code: 271-828", Instant.now());

      assertThat(get(app, "/api/v1/coverage?country=GH&service=wa", null).body())
          .contains("\"successRate24h\":{\"percent\":100,\"succeeded\":1,\"counted\":1}");
      String operator = DashboardHttp.sessionCookie(post(app, OperatorPages.LOGIN, null,
          Map.of("token", app.adminToken())));
      String delivery = get(app, "/operator/delivery", operator).body();
      assertThat(delivery).contains("<td>Ghana</td><td>WhatsApp</td>", "100 %").contains("id=\"service-chart\"");
      // The source's message is counted in its traffic per day (written through PostgreSQL's own upsert path).
      assertThat(get(app, "/operator/numbers", operator).body()).contains("<td>" + source.name() + "</td>\n"
          + "          <td class=\"num\">1</td><td class=\"num\">0</td>");
    }
  }
}
