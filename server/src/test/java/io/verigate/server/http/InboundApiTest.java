package io.verigate.server.http;

import static io.verigate.server.http.Refusals.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import io.verigate.client.Activation;
import io.verigate.client.BuyRequest;
import io.verigate.client.VerigateClient;
import io.verigate.server.testing.TestApp;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The generic gateway push {@code POST /api/v1/inbound/sms}: authenticated by the source's token, stored
 * before the 200, deduplicated on messageId, matched to the live activation on the number, and kept even
 * when nothing matches.
 */
class InboundApiTest {
  private static final String WHATSAPP_SMS = "Your WhatsApp code: 482-913";

  private static TestApp app;
  private static AdminSetup admin;
  private static AdminSetup.Gateway gateway;
  private static VerigateClient customer;

  @BeforeAll
  static void start() {
    app = TestApp.start();
    admin = new AdminSetup(app);
    gateway = admin.gateway();
    customer = admin.liveCustomer("100.00").client();
  }

  @AfterAll
  static void stop() {
    app.close();
  }

  /** A live WhatsApp activation on a freshly stocked number (tests share the US inventory). */
  private static Activation liveActivation() {
    admin.stock(gateway, "us", 1);
    return customer.buy(BuyRequest.of("wa", "us"));
  }

  @Test
  void aPushedSmsReachesTheActivationOnThatNumber() {
    Activation bought = liveActivation();

    RawHttp.Reply pushed = gateway.push(bought.phoneNumber(), "WhatsApp", WHATSAPP_SMS, UUID.randomUUID().toString());

    assertThat(pushed.status()).isEqualTo(200);
    assertThat(pushed.json().get("duplicate").asBoolean()).isFalse();
    assertThat(pushed.json().get("activationId").asInt()).isEqualTo(bought.id());
    Activation received = customer.activation(bought.id());
    assertThat(received.status()).isEqualTo("RECEIVED");
    assertThat(received.code()).isEqualTo("482913");
    assertThat(received.smsText()).isEqualTo(WHATSAPP_SMS);
    assertThat(received.smsFrom()).isEqualTo("WhatsApp");
  }

  @Test
  void refusesAPushWithoutAValidSourceTokenAndStoresNothing() {
    Activation bought = liveActivation();
    String messageId = UUID.randomUUID().toString();
    String customerKey = admin.liveCustomer("0").key();

    for (String token : new String[] {null, "not-a-source-token", customerKey, app.adminToken()}) {
      assertProblem(gateway.pushAs(token, bought.phoneNumber(), "WhatsApp", WHATSAPP_SMS, messageId), 401, "BAD_KEY");
    }

    assertThat(storedCopies(messageId)).isZero();
    assertThat(customer.activation(bought.id()).status()).isEqualTo("WAITING");
  }

  @Test
  void theSameMessageIdAgainIsAcknowledgedAsDuplicateAndStoredOnce() {
    Activation bought = liveActivation();
    String messageId = UUID.randomUUID().toString();
    RawHttp.Reply first = gateway.push(bought.phoneNumber(), "WhatsApp", WHATSAPP_SMS, messageId);

    RawHttp.Reply again = gateway.push(bought.phoneNumber(), "WhatsApp", "Your WhatsApp code: 000-111", messageId);

    assertThat(again.status()).isEqualTo(200);
    assertThat(again.json().get("duplicate").asBoolean()).isTrue();
    assertThat(again.text("id")).isEqualTo(first.text("id"));
    assertThat(again.json().get("activationId").asInt()).isEqualTo(bought.id());
    assertThat(storedCopies(messageId)).isEqualTo(1);
    assertThat(customer.activation(bought.id()).code()).isEqualTo("482913");
  }

  @Test
  void keepsAMessageForANumberWithNoLiveActivation() {
    String idle = admin.stock(gateway, "gb", 1).get(0);
    String messageId = UUID.randomUUID().toString();

    RawHttp.Reply pushed = gateway.push(idle, "Bank", "Your balance is 10.00", messageId);

    assertThat(pushed.status()).isEqualTo(200);
    assertThat(pushed.json().get("duplicate").asBoolean()).isFalse();
    assertThat(pushed.json().get("activationId").isNull()).isTrue();
    assertThat(storedCopies(messageId)).isEqualTo(1);
  }

  @Test
  void aSourceCannotDeliverToAnotherSourcesNumber() {
    AdminSetup.Gateway owner = admin.gateway();
    admin.stock(owner, "fr", 1);
    Activation bought = customer.buy(BuyRequest.of("wa", "fr"));
    String messageId = UUID.randomUUID().toString();

    RawHttp.Reply foreign = gateway.push(bought.phoneNumber(), "WhatsApp", WHATSAPP_SMS, messageId);

    assertProblem(foreign, 403, "FORBIDDEN");
    Activation untouched = customer.activation(bought.id());
    assertThat(untouched.status()).isEqualTo("WAITING");
    assertThat(untouched.code()).isNull();
    assertThat(storedCopies(messageId)).as("kept in the journal").isEqualTo(1);
    assertThat(rejectedCount(gateway)).isEqualTo(1);
    assertThat(rejectedCount(owner)).isZero();

    RawHttp.Reply own = owner.push(bought.phoneNumber(), "WhatsApp", WHATSAPP_SMS, UUID.randomUUID().toString());

    assertThat(own.status()).isEqualTo(200);
    assertThat(customer.activation(bought.id()).code()).isEqualTo("482913");
  }

  @Test
  void keepsAMessageForANumberOutsideTheInventoryUnmatched() {
    String stranger = "+12015550147";
    String messageId = UUID.randomUUID().toString();

    RawHttp.Reply pushed = gateway.push(stranger, "Bank", "Your code is 1234", messageId);

    assertThat(pushed.status()).isEqualTo(200);
    assertThat(pushed.json().get("activationId").isNull()).isTrue();
    assertThat(storedCopies(messageId)).isEqualTo(1);
  }

  @Test
  void aLateMessageAfterFinishDoesNotChangeTheCode() {
    Activation bought = liveActivation();
    gateway.push(bought.phoneNumber(), "WhatsApp", WHATSAPP_SMS, UUID.randomUUID().toString());
    customer.finish(bought.id());
    String lateId = UUID.randomUUID().toString();

    RawHttp.Reply late = gateway.push(bought.phoneNumber(), "WhatsApp", "Your WhatsApp code: 999-000", lateId);

    assertThat(late.status()).isEqualTo(200);
    assertThat(late.json().get("activationId").isNull()).isTrue();
    assertThat(storedCopies(lateId)).isEqualTo(1);
    Activation finished = customer.activation(bought.id());
    assertThat(finished.status()).isEqualTo("FINISHED");
    assertThat(finished.code()).isEqualTo("482913");
  }

  @Test
  void refusesMalformedPushesWithA400Problem() {
    RawHttp http = new RawHttp(app.baseUrl());
    String bearer = "Bearer " + gateway.token();
    String to = admin.stock(gateway, "gb", 1).get(0);
    List<String[]> broken = List.of(
        new String[] {"{\"to\": ", "MALFORMED_JSON"},
        new String[] {"[]", "MALFORMED_JSON"},
        new String[] {"{\"from\":\"X\",\"text\":\"hi\",\"messageId\":\"m1\"}", "BAD_REQUEST"},
        new String[] {"{\"to\":\"not a number\",\"from\":\"X\",\"text\":\"hi\",\"messageId\":\"m2\"}", "BAD_REQUEST"},
        new String[] {"{\"to\":\"" + to + "\",\"from\":\"X\",\"text\":\"hi\"}", "BAD_REQUEST"},
        new String[] {"{\"to\":\"" + to + "\",\"from\":\"X\",\"messageId\":\"m3\"}", "BAD_REQUEST"},
        new String[] {"{\"to\":\"" + to + "\",\"text\":\"hi\",\"messageId\":\"m4\"}", "BAD_REQUEST"},
        new String[] {"{\"to\":\"" + to + "\",\"from\":\"X\",\"text\":\"hi\",\"messageId\":\"m5\",\"receivedAt\":\"yesterday\"}", "BAD_REQUEST"},
        new String[] {"{\"to\":\"" + to + "\",\"from\":{\"name\":\"X\"},\"text\":\"hi\",\"messageId\":\"m6\"}", "BAD_REQUEST"});

    for (String[] body : broken) {
      assertProblem(http.post("/api/v1/inbound/sms", body[0], "Authorization", bearer), 400, body[1]);
    }
  }

  private static long rejectedCount(AdminSetup.Gateway source) {
    return app.admin("GET", "/admin/v1/sources/" + source.name(), null).at("/health/rejected").asLong();
  }

  private static int storedCopies(String messageId) {
    return app.app().database().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM inbound_message WHERE provider_id = :p")
        .bind("p", messageId).mapTo(Integer.class).one());
  }
}
