package io.verigate.server.activation;

import static org.assertj.core.api.Assertions.assertThat;

import io.verigate.server.account.Actor;
import io.verigate.server.account.Principal;
import io.verigate.server.notify.WebhookFormat;
import io.verigate.server.notify.WebhookOwner;
import io.verigate.server.notify.Webhooks;
import io.verigate.server.testing.TestApp;
import io.verigate.server.wallet.Money;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A live purchase commits in the statement that writes it only while nothing listening inside the transaction wants
 * its {@code activation.created} event. The node's own listeners (the sandbox's simulated SMS and letters, webhooks)
 * want only what concerns them: a listener that wanted every event would put every live purchase back on the path
 * with more round trips, which no other test would notice.
 */
class QuietPurchaseTest {
  private static TestApp app;

  @BeforeAll
  static void startNode() {
    app = TestApp.start(Map.of("webhook-allow-private", "true"));
  }

  @AfterAll
  static void stopNode() {
    app.close();
  }

  @Test
  void aLiveCustomersPurchaseIsQuietOnANodeWithItsSandboxesOn() {
    Principal buyer = app.livePrincipal("quiet", Money.parse("5.00"));

    assertThat(quiet(buyer, false)).as("a live customer's purchase").isTrue();
    assertThat(quiet(buyer, true)).as("a sandbox purchase, which calls for a simulated SMS").isFalse();
  }

  @Test
  void aCustomerWithAWebhookForPurchasesIsNotQuiet() {
    Principal buyer = app.livePrincipal("hooked-quiet", Money.parse("5.00"));
    app.app().webhooks().create(Actor.SYSTEM, WebhookOwner.of(buyer),
        new Webhooks.NewEndpoint("http://127.0.0.1:9/hook", List.of("activation.created"), WebhookFormat.STANDARD));

    assertThat(quiet(buyer, false)).isFalse();
  }

  private static boolean quiet(Principal buyer, boolean test) {
    return app.app().database().<Boolean>withHandle(h -> app.app().events().quietFor(h, buyer.customerId(), test,
        ActivationEvents.CREATED));
  }
}
