package io.verigate.server.email;

import static io.verigate.server.email.MailTestSupport.buy;
import static io.verigate.server.email.MailTestSupport.journal;
import static org.assertj.core.api.Assertions.assertThat;

import io.verigate.server.account.Principal;
import io.verigate.server.testing.MutableClock;
import io.verigate.server.testing.TestApp;
import io.verigate.server.wallet.Money;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The mail journal's retention: old letters go, with their raw bytes; what an activation took from them stays. */
class MailRetentionTest {
  private final MutableClock clock = new MutableClock(Instant.parse("2026-05-01T08:00:00Z"));
  private TestApp app;
  private Principal customer;

  @BeforeEach
  void start() {
    app = TestApp.start(false, MailTestSupport.smtpOn(Map.of()), clock);
    customer = app.livePrincipal("retention customer", Money.parse("1.00"));
  }

  @AfterEach
  void stop() {
    app.close();
  }

  @Test
  void lettersReceivedBeforeTheCutoffAreDeletedAndNewerOnesKept() throws Exception {
    EmailActivation old = buy(app, customer, "telegram.org");
    send(old.address(), "Your code is 11223");
    clock.advance(Duration.ofDays(2));
    EmailActivation recent = buy(app, customer, "github.com");
    send(recent.address(), "Your code is 44556");

    int deleted = app.app().emailActivations().purgeLettersOlderThan(clock.instant().minus(Duration.ofDays(1)));

    assertThat(deleted).isEqualTo(1);
    assertThat(journal(app, old.address())).isEmpty();
    assertThat(journal(app, recent.address())).hasSize(1);
    assertThat(app.app().emailActivations().get(customer, old.id()).otpCode())
        .as("the activation keeps the code it took from the deleted letter").isEqualTo("11223");
  }

  private void send(String to, String text) throws Exception {
    MimeMessage letter = new MimeMessage(MailTestSupport.session(app));
    letter.setFrom(new InternetAddress("no-reply@sender.example"));
    letter.setSubject("Your code");
    letter.setText(text, "UTF-8");
    MailTestSupport.send(app, letter, to);
  }
}
