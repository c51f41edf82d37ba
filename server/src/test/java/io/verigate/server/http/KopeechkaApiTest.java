package io.verigate.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.verigate.server.email.MailTestSupport;
import io.verigate.server.testing.TestApp;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Kopeechka dialect as its clients call it: query strings, {@code token}, HTTP 200 for everything, JSON by
 * default and {@code OK|...} / {@code ERROR|TOKEN} lines with {@code type=TEXT}, its exact tokens and its quirks.
 */
class KopeechkaApiTest {
  private static final String DOMAIN = MailTestSupport.DOMAIN;
  private static TestApp app;
  private static RawHttp http;

  @BeforeAll
  static void start() {
    app = TestApp.start(MailTestSupport.smtpOn(Map.of()));
    http = new RawHttp(app.baseUrl());
  }

  @AfterAll
  static void stop() {
    app.close();
  }

  @Test
  void buysAMailboxWaitsForTheLetterAndReadsItsLinkFirst() throws Exception {
    String token = app.liveCustomer("1.00").key();

    JsonNode task = json("/mailbox-get-email?site=instagram.com&mail_type=gmail.com," + DOMAIN + "&token=" + token
        + "&type=JSON&api=2.0");
    assertThat(task.get("status").asText()).isEqualTo("OK");
    String id = task.get("id").asText();
    String mail = task.get("mail").asText();
    assertThat(mail).endsWith("@" + DOMAIN);
    assertThat(json("/mailbox-get-message?id=" + id + "&token=" + token)).isEqualTo(error("WAIT_LINK"));
    assertThat(text("/mailbox-get-message?id=" + id + "&token=" + token + "&type=TEXT")).isEqualTo("ERROR|WAIT_LINK");

    send(mail, "<html><body><p>Your Instagram code is 204865.</p><a href=\"https://instagram.com/accounts/confirm_email/"
        + "x1/\">Confirm your email address</a></body></html>");

    JsonNode message = json("/mailbox-get-message?id=" + id + "&token=" + token);
    JsonNode full = json("/mailbox-get-message?id=" + id + "&full=1&token=" + token);
    assertThat(message.get("status").asText()).isEqualTo("OK");
    assertThat(message.get("value").asText()).isEqualTo("https://instagram.com/accounts/confirm_email/x1/");
    assertThat(message.has("fullmessage")).isFalse();
    assertThat(full.get("fullmessage").asText()).contains("Your Instagram code is 204865.");
    assertThat(text("/mailbox-get-message?id=" + id + "&token=" + token + "&type=TEXT"))
        .isEqualTo("OK|https://instagram.com/accounts/confirm_email/x1/");

    assertThat(json("/mailbox-cancel?id=" + id + "&token=" + token).get("status").asText()).isEqualTo("OK");
    assertThat(json("/user-balance?token=" + token).get("balance").asText()).isEqualTo("0.950000");
  }

  @Test
  void textModeAnswersInLines() {
    String token = app.liveCustomer("100.00").key();

    String task = text("/mailbox-get-email?site=x.com&token=" + token + "&type=TEXT");

    assertThat(task).matches("OK\\|\\d+\\|[a-z0-9]{12}@" + DOMAIN.replace(".", "\\."));
    assertThat(text("/user-balance?token=" + token + "&type=TEXT")).isEqualTo("OK|99.950000");
    String id = task.split("\\|")[1];
    assertThat(text("/mailbox-cancel?id=" + id + "&token=" + token + "&type=TEXT")).isEqualTo("OK");
    assertThat(text("/mailbox-cancel?id=" + id + "&token=" + token + "&type=TEXT")).isEqualTo("ERROR|ACTIVATION_CANCELED");
    assertThat(text("/user-balance?token=" + token + "&type=TEXT")).isEqualTo("OK|100.000000");
  }

  @Test
  void refusesWithKopeechkasTokens() {
    String token = app.liveCustomer("0.01").key();
    String rich = app.liveCustomer("1.00").key();

    assertThat(json("/mailbox-get-email?site=x.com")).isEqualTo(error("BAD_TOKEN"));
    assertThat(json("/mailbox-get-email?site=x.com&token=nope")).isEqualTo(error("BAD_TOKEN"));
    assertThat(text("/user-balance?token=nope&type=TEXT")).isEqualTo("ERROR|BAD_TOKEN");
    assertThat(json("/mailbox-get-email?site=x.com&token=" + token)).isEqualTo(error("BAD_BALANCE"));
    assertThat(json("/mailbox-get-email?site=&token=" + rich)).isEqualTo(error("BAD_SITE"));
    assertThat(json("/mailbox-get-email?site=x.com&mail_type=gmail.com&token=" + rich)).isEqualTo(error("BAD_DOMAIN"));
    assertThat(json("/mailbox-get-message?id=99999999&token=" + rich)).isEqualTo(error("NO_ACTIVATION"));
    assertThat(json("/mailbox-get-message?id=abc&token=" + rich)).isEqualTo(error("NO_ACTIVATION"));
    assertThat(json("/mailbox-cancel?token=" + rich)).isEqualTo(error("NO_ACTIVATION"));
    String id = json("/mailbox-get-email?site=x.com&token=" + rich).get("id").asText();
    assertThat(json("/mailbox-set-comment?id=" + id + "&token=" + rich)).isEqualTo(error("BAD_COMMENT"));
  }

  @Test
  void aReorderBeforeTheFirstLetterIsActivationNotFoundAsJsonEvenInTextMode() throws Exception {
    String token = app.liveCustomer("1.00").key();
    JsonNode task = json("/mailbox-get-email?site=spotify.com&token=" + token);
    String mail = task.get("mail").asText();

    RawHttp.Reply early = http.get("/mailbox-reorder?site=spotify.com&email=" + mail + "&token=" + token + "&type=TEXT");
    RawHttp.Reply stranger = http.get("/mailbox-reorder?site=spotify.com&email=who@" + DOMAIN + "&token=" + token
        + "&type=TEXT");
    assertThat(early.status()).isEqualTo(200);
    assertThat(early.json()).isEqualTo(error("Activation not found"));
    assertThat(stranger.json()).isEqualTo(error("BAD_EMAIL"));

    send(mail, "<p>Your Spotify code is 551100</p>");
    JsonNode again = json("/mailbox-reorder?site=spotify.com&email=" + mail + "&token=" + token);

    assertThat(again.get("status").asText()).isEqualTo("OK");
    assertThat(again.get("mail").asText()).isEqualTo(mail);
    assertThat(again.get("id").asText()).isNotEqualTo(task.get("id").asText());
    assertThat(json("/mailbox-get-fresh-id?site=spotify.com&email=" + mail + "&token=" + token).get("id").asText())
        .isEqualTo(again.get("id").asText());
    assertThat(json("/mailbox-get-message?id=" + again.get("id").asText() + "&token=" + token))
        .isEqualTo(error("WAIT_LINK"));
  }

  @Test
  void listsDomainsZonesAndTasksAndKeepsComments() {
    String token = app.liveCustomer("1.00").key();
    String id = json("/mailbox-get-email?site=tiktok.com&token=" + token).get("id").asText();

    JsonNode domains = json("/mailbox-get-domains?site=tiktok.com&token=" + token);
    JsonNode zones = json("/mailbox-zones?popular=1&site=tiktok.com&token=" + token);
    JsonNode commented = json("/mailbox-set-comment?id=" + id + "&comment=batch-7&token=" + token);
    JsonNode bulk = json("/mailbox-get-bulk?count=10&comment=batch-7&token=" + token);
    String bulkText = text("/mailbox-get-bulk?count=10&site=tiktok.com&token=" + token + "&type=TEXT");

    assertThat(domains.get("status").asText()).isEqualTo("OK");
    assertThat(domains.get("count").asInt()).isEqualTo(1);
    assertThat(domains.get("domains").get(0).asText()).isEqualTo(DOMAIN);
    assertThat(zones.get("popular").get(0).get("name").asText()).isEqualTo(DOMAIN);
    assertThat(zones.get("popular").get(0).get("cost").decimalValue()).isEqualByComparingTo("0.05");
    assertThat(commented.get("status").asText()).isEqualTo("OK");
    assertThat(bulk.get("count").asInt()).isEqualTo(1);
    JsonNode item = bulk.get("items").get(0);
    assertThat(item.get("id").asText()).isEqualTo(id);
    assertThat(item.get("service").asText()).isEqualTo("tiktok.com");
    assertThat(item.get("status").asText()).isEqualTo("READY");
    assertThat(item.get("comment").asText()).isEqualTo("batch-7");
    assertThat(bulkText).startsWith("OK|" + id + ":tiktok.com:").endsWith(":READY::batch-7");
  }

  @Test
  void aTaskWaitsOnlyForItsSenderAndSubjectAndItsRegexPicksTheValue() throws Exception {
    String token = app.liveCustomer("1.00").key();
    String regex = URLEncoder.encode("Ticket: ([A-Z]{3}-\\d{4})", StandardCharsets.UTF_8);
    JsonNode task = json("/mailbox-get-email?site=github.com&sender=GitHub.com&subject=verify&regex=" + regex
        + "&password=1&token=" + token);
    String id = task.get("id").asText();
    String mail = task.get("mail").asText();

    send(mail, "noreply@github.com", "Your receipt", "Ticket: ABC-1234");
    send(mail, "news@elsewhere.example", "Please verify", "Ticket: ABC-1234");
    assertThat(json("/mailbox-get-message?id=" + id + "&token=" + token))
        .as("a letter with another subject or from another sender is kept, but not this task's")
        .isEqualTo(error("WAIT_LINK"));

    send(mail, "noreply@github.com", "Please verify your email", "Your code is 555111. Ticket: XYZ-9876");

    assertThat(json("/mailbox-get-message?id=" + id + "&token=" + token).get("value").asText()).isEqualTo("XYZ-9876");
    assertThat(MailTestSupport.journal(app, mail)).hasSize(3);
  }

  @Test
  void aRegexThatDoesNotCompileIsRefusedAndOneThatBacktracksForeverYieldsNothing() throws Exception {
    String token = app.liveCustomer("1.00").key();
    assertThat(json("/mailbox-get-email?site=x.com&regex=%28unclosed&token=" + token)).isEqualTo(error("BAD_REQUEST"));
    assertThat(json("/user-balance?token=" + token).get("balance").asText()).isEqualTo("1.000000");

    JsonNode task = json("/mailbox-get-email?site=x.com&regex=" + URLEncoder.encode("^(a+)+$", StandardCharsets.UTF_8)
        + "&token=" + token);
    send(task.get("mail").asText(), "no-reply@x.com", "Your code", "a".repeat(5000) + "!");

    assertThat(json("/mailbox-get-message?id=" + task.get("id").asText() + "&token=" + token))
        .as("the match was given up in time: the letter is stored, the listener answered").isEqualTo(error("WAIT_LINK"));
  }

  private static void send(String to, String from, String subject, String text) throws Exception {
    MimeMessage letter = new MimeMessage(MailTestSupport.session(app));
    letter.setFrom(new InternetAddress(from));
    letter.setRecipient(MimeMessage.RecipientType.TO, new InternetAddress(to));
    letter.setSubject(subject);
    letter.setText(text, "UTF-8");
    MailTestSupport.send(app, letter, to);
  }

  private static JsonNode error(String value) {
    return io.verigate.server.http.support.Json.MAPPER.createObjectNode().put("status", "ERROR").put("value", value);
  }

  private static JsonNode json(String pathAndQuery) {
    RawHttp.Reply reply = http.get(pathAndQuery);
    assertThat(reply.status()).as(pathAndQuery).isEqualTo(200);
    assertThat(reply.contentType()).startsWith("application/json");
    return reply.json();
  }

  private static String text(String pathAndQuery) {
    RawHttp.Reply reply = http.get(pathAndQuery);
    assertThat(reply.status()).as(pathAndQuery).isEqualTo(200);
    assertThat(reply.contentType()).startsWith("text/plain");
    return reply.body();
  }

  private static void send(String to, String html) throws Exception {
    MimeMessage letter = new MimeMessage(MailTestSupport.session(app));
    letter.setFrom(new InternetAddress("no-reply@sender.example"));
    letter.setRecipient(MimeMessage.RecipientType.TO, new InternetAddress(to));
    letter.setSubject("Your code");
    letter.setText(html, "UTF-8", "html");
    MailTestSupport.send(app, letter, to);
  }
}
