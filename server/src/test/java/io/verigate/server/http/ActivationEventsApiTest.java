package io.verigate.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.verigate.server.http.support.Json;
import io.verigate.server.system.EventLog.Event;
import io.verigate.server.testing.Eventually;
import io.verigate.server.testing.TestApp;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every activation transition a customer makes over HTTP, and every one the node makes on its own (the sweep), leaves
 * its event in the customer's log, with the fields webhooks and streams promise.
 */
class ActivationEventsApiTest {
  private static TestApp app;
  private static AdminSetup admin;
  private static RawHttp http;

  @BeforeAll
  static void start() {
    app = TestApp.start(Map.of("early-cancel-guard", "0s", "activation-lifetime", "2s", "sweep-interval", "200ms"));
    admin = new AdminSetup(app);
    http = new RawHttp(app.baseUrl());
  }

  @AfterAll
  static void stop() {
    app.close();
  }

  private static List<Event> events(long customer, boolean test, Integer activation) {
    return app.app().events().after(customer, test, 0, Set.of(), activation == null ? null : (long) activation, 100);
  }

  private static int quietNumber(String key) {
    RawHttp.Reply number = http.get("/number?key=" + key + "&service=wa&country=us&operator=nocode");
    assertThat(number.status()).as(number.body()).isEqualTo(200);
    return number.json().get("activation_id").asInt();
  }

  @Test
  void aCodeAResendAndAFinishEachLeaveAnEventWithTheActivationsFields() {
    AdminSetup.Customer customer = admin.sandboxCustomer();
    int id = quietNumber(customer.key());
    customer.client().sandboxSms(id, "WhatsApp", "Your WhatsApp code: 111-222");
    customer.client().resend(id);
    customer.client().sandboxSms(id, "WhatsApp", "Hello without a code");
    customer.client().sandboxSms(id, "WhatsApp", "Your WhatsApp code: 333-444");
    customer.client().finish(id);

    List<Event> events = events(customer.id(), true, id);

    assertThat(events).extracting(Event::type).containsExactly("activation.created", "activation.received",
        "activation.resend", "activation.received", "activation.finished");
    JsonNode received = Json.MAPPER.valueToTree(parse(events.get(3).data()));
    assertThat(received.get("activationId").asInt()).isEqualTo(id);
    assertThat(received.get("status").asText()).isEqualTo("RECEIVED");
    assertThat(received.get("code").asText()).isEqualTo("333444");
    assertThat(received.get("text").asText()).isEqualTo("Your WhatsApp code: 333-444");
    assertThat(received.get("from").asText()).isEqualTo("WhatsApp");
    assertThat(received.get("phone").asText()).startsWith("+1");
    assertThat(received.get("service").asText()).isEqualTo("wa");
    assertThat(received.get("country").asText()).isEqualToIgnoringCase("us");
    assertThat(events.get(4).data()).contains("\"status\":\"FINISHED\"");
    assertThat(events(customer.id(), false, null)).as("a live stream sees no sandbox event").isEmpty();
  }

  @Test
  void aCancelABanAndTheSweepsExpiryEachLeaveTheirEvent() {
    AdminSetup.Customer customer = admin.sandboxCustomer();
    int canceled = quietNumber(customer.key());
    int banned = quietNumber(customer.key());
    int expired = quietNumber(customer.key());
    customer.client().cancel(canceled);
    customer.client().ban(banned);

    Eventually.eventually("the sweep expires the third", () -> events(customer.id(), true, expired).size() == 2);

    assertThat(events(customer.id(), true, canceled)).extracting(Event::type)
        .containsExactly("activation.created", "activation.canceled");
    assertThat(events(customer.id(), true, banned)).extracting(Event::type)
        .containsExactly("activation.created", "activation.banned");
    assertThat(events(customer.id(), true, expired)).extracting(Event::type)
        .containsExactly("activation.created", "activation.expired");
  }

  @Test
  void anOperatorsCreditLeavesAWalletEventWithTheNewBalance() {
    AdminSetup.Customer customer = admin.liveCustomer("0");
    admin.credit(customer.id(), "12.50");

    List<Event> events = events(customer.id(), false, null);

    assertThat(events).extracting(Event::type).containsExactly("wallet.credited");
    assertThat(events.get(0).data()).contains("\"amount\":\"12.50\"").contains("\"balance\":\"12.50\"")
        .contains("\"currency\":\"USD\"");
  }

  private static Object parse(String json) {
    try {
      return Json.MAPPER.readTree(json);
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
  }
}
