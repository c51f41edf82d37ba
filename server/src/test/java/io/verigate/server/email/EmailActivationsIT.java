package io.verigate.server.email;

import static io.verigate.server.email.MailTestSupport.buy;
import static io.verigate.server.email.MailTestSupport.journal;
import static io.verigate.server.email.MailTestSupport.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.verigate.server.account.Mode;
import io.verigate.server.account.Principal;
import io.verigate.server.activation.ActivationStatus;
import io.verigate.server.system.Failure;
import io.verigate.server.testing.MutableClock;
import io.verigate.server.testing.TestApp;
import io.verigate.server.wallet.Balance;
import io.verigate.server.wallet.Money;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Email activations on PostgreSQL: letters over SMTP into the journal, and the money of every way an activation ends
 * (charged only on success, once), the ledger reconciling; the same letter delivered twice at once stored once.
 */
class EmailActivationsIT {
  private static MutableClock clock;
  private static TestApp app;
  private static EmailActivations activations;

  @BeforeAll
  static void start() {
    clock = new MutableClock(Instant.now());
    app = TestApp.start(true, MailTestSupport.smtpOn(Map.of()), clock);
    activations = app.app().emailActivations();
  }

  @AfterAll
  static void stop() {
    app.close();
  }

  @Test
  void chargesOnlyTheActivationsWhoseLetterArrivedAndReconciles() throws Exception {
    Principal customer = app.livePrincipal("pg mail customer", Money.parse("1.00"));
    EmailActivation finished = buy(app, customer, "google.com");
    EmailActivation cancelled = buy(app, customer, "apple.com");
    EmailActivation expired = buy(app, customer, "amazon.com");
    EmailActivation lifetimeWithLetter = buy(app, customer, "microsoft.com");
    assertThat(balance(customer).held()).isEqualTo(Money.parse("0.20"));

    letter(finished.address(), "G-482913 is your Google verification code", "Use this code: 482913");
    letter(lifetimeWithLetter.address(), "Microsoft account security code", "Security code: 7410");
    activations.finish(customer, finished.id());
    activations.cancel(customer, cancelled.id());
    assertThatThrownBy(() -> activations.finish(customer, expired.id())).isInstanceOf(Failure.class);
    clock.advance(Duration.ofMinutes(21));
    activations.sweep();

    assertThat(activations.get(customer, finished.id()).status()).isEqualTo(ActivationStatus.FINISHED);
    assertThat(activations.get(customer, cancelled.id()).status()).isEqualTo(ActivationStatus.CANCELED);
    assertThat(activations.get(customer, expired.id()).status()).isEqualTo(ActivationStatus.EXPIRED);
    assertThat(activations.get(customer, lifetimeWithLetter.id()).status()).isEqualTo(ActivationStatus.FINISHED);
    assertThat(activations.get(customer, lifetimeWithLetter.id()).otpCode()).isEqualTo("7410");
    assertThat(balance(customer).available()).isEqualTo(Money.parse("0.90"));
    assertThat(balance(customer).held()).isEqualTo(Money.ZERO);
    assertThat(app.app().wallets().reconciles(customer.customerId(), Mode.LIVE)).isTrue();
  }

  @Test
  void aReorderIsChargedAgainAndTakesOnlyTheNextLetter() throws Exception {
    Principal customer = app.livePrincipal("pg reorder customer", Money.parse("1.00"));
    EmailActivation first = buy(app, customer, "twitch.tv");
    letter(first.address(), "Your Twitch code", "Your Twitch verification code is 111111");

    EmailActivation second = activations.reorder(customer, first.id());
    letter(second.address(), "Your Twitch code", "Your Twitch verification code is 222222");
    activations.finish(customer, second.id());

    assertThat(activations.get(customer, first.id()).otpCode()).isEqualTo("111111");
    assertThat(activations.get(customer, second.id()).otpCode()).isEqualTo("222222");
    assertThat(balance(customer).available()).isEqualTo(Money.parse("0.90"));
    assertThat(app.app().wallets().reconciles(customer.customerId(), Mode.LIVE)).isTrue();
  }

  @Test
  void theSameLetterDeliveredTwiceAtOnceIsStoredOnce() throws Exception {
    Principal customer = app.livePrincipal("pg duplicate customer", Money.parse("1.00"));
    EmailActivation bought = buy(app, customer, "discord.com");
    byte[] raw = ("Message-ID: <same@discord.com>\r\nFrom: Discord <noreply@discord.com>\r\nSubject: Your code\r\n"
        + "Content-Type: text/plain; charset=utf-8\r\n\r\nYour Discord code is 730194\r\n")
        .getBytes(StandardCharsets.UTF_8);
    CountDownLatch go = new CountDownLatch(1);
    List<CompletableFuture<MailReceipt>> deliveries = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      deliveries.add(CompletableFuture.supplyAsync(() -> {
        try {
          go.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        return activations.receive(bought.address(), "bounce@discord.com", raw);
      }));
    }
    go.countDown();

    List<MailReceipt> receipts = deliveries.stream().map(CompletableFuture::join).toList();

    assertThat(receipts).extracting(MailReceipt::messageId).containsOnly(receipts.get(0).messageId());
    assertThat(receipts).filteredOn(r -> !r.duplicate()).hasSize(1);
    assertThat(journal(app, bought.address())).hasSize(1);
    assertThat(activations.get(customer, bought.id()).otpCode()).isEqualTo("730194");
  }

  private static Balance balance(Principal customer) {
    return app.app().wallets().balance(customer.customerId(), Mode.LIVE);
  }

  private static void letter(String to, String subject, String text) throws Exception {
    MimeMessage letter = new MimeMessage(MailTestSupport.session(app));
    letter.setFrom(new InternetAddress("no-reply@sender.example"));
    letter.setRecipient(MimeMessage.RecipientType.TO, new InternetAddress(to));
    letter.setSubject(subject);
    letter.setText(text, "UTF-8");
    send(app, letter, to);
  }
}
