package io.verigate.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.verigate.server.testing.TestApp;
import io.verigate.server.testing.TestNumbers;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A NUL character is valid JSON ({@code \u0000}) and comes out of some SMS decodings, but PostgreSQL's text types
 * cannot hold it: bound as is, it fails the statement. On PostgreSQL, then, a NUL anywhere in what a customer,
 * operator or gateway sends must neither fail the request nor lose the message.
 */
class NulCharacterIT {
  private static TestApp app;
  private static RawHttp http;

  @BeforeAll
  static void startNode() {
    app = TestApp.startOnPostgres(Map.of());
    http = new RawHttp(app.baseUrl());
  }

  @AfterAll
  static void stopNode() {
    app.close();
  }

  @Test
  void aGatewayMessageWithNulsIsStoredWithTheNulsReplaced() {
    TestApp.Source gateway = app.createSource();
    String receiver = TestNumbers.freshMobile("us");

    RawHttp.Reply pushed = http.post("/api/v1/inbound/sms", "{\"to\":\"" + receiver + "\",\"from\":\"Bank\\u0000\","
        + "\"text\":\"Your code is 482913\\u0000\\u0000\",\"messageId\":\"m-1\\u0000\"}",
        "Authorization", "Bearer " + gateway.token());

    assertThat(pushed.status()).as(pushed.body()).isEqualTo(200);
    assertThat(app.journal(receiver)).containsExactly("Your code is 482913\uFFFD\uFFFD");
  }

  @Test
  void anOperatorsNameWithANulIsTakenAndALookupWithOneIsNotFound() {
    String admin = "Bearer " + app.adminToken();

    RawHttp.Reply created = http.post("/admin/v1/customers", "{\"name\":\"Acme\\u0000Ltd\"}", "Authorization", admin);
    RawHttp.Reply imported = http.send("POST", "/admin/v1/numbers/import?source=gw%00x", "+14155550123",
        "Authorization", admin);

    assertThat(created.status()).as(created.body()).isEqualTo(201);
    assertThat(imported.status()).as(imported.body()).isEqualTo(404);
  }
}
