package io.verigate.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.verigate.server.email.MailTestSupport;
import io.verigate.server.http.support.Json;
import io.verigate.server.testing.TestApp;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * The third-party Kopeechka client from npm ({@code @sadzurami/kopeechka-store}, pinned in
 * {@code src/test/npm/kopeechka}), run unchanged against a node with only its {@code baseUrl} pointed here: balance,
 * domains, ordering a mailbox, waiting for the letter, the full message, reorder, fresh id, cancel. It needs Node.js
 * 18+ and npm's registry for its first {@code npm ci}, so it runs when {@code VERIGATE_NPM_CLIENTS=1}.
 */
@EnabledIfEnvironmentVariable(named = "VERIGATE_NPM_CLIENTS", matches = "1")
class KopeechkaNpmClientTest {
  private static final Path CLIENT = Path.of("src/test/npm/kopeechka");
  private static final Path WORK = Path.of("target/npm/kopeechka");

  @Test
  void theNpmClientBuysReadsReordersAndCancelsUnchanged() throws Exception {
    installClient();
    try (TestApp app = TestApp.start(MailTestSupport.smtpOn(Map.of()))) {
      String token = app.liveCustomer("1.00").key();
      Process node = new ProcessBuilder("node", "client.mjs", app.baseUrl(), token, "example.com")
          .directory(WORK.toFile()).redirectError(WORK.resolve("client.err").toFile()).start();
      Map<String, JsonNode> steps = new LinkedHashMap<>();
      try (BufferedReader out = new BufferedReader(new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8));
          OutputStream in = node.getOutputStream()) {
        String line;
        while ((line = out.readLine()) != null) {
          JsonNode step = Json.MAPPER.readTree(line);
          steps.put(step.get("step").asText(), step.get("value"));
          if (step.get("step").asText().equals("noMessageYet")) {
            letter(app, steps.get("email").asText());
            in.write('\n');
            in.flush();
          }
        }
      }
      assertThat(node.waitFor(90, TimeUnit.SECONDS)).isTrue();

      assertThat(steps).doesNotContainKey("error");
      assertThat(steps.get("balance").asText()).isEqualTo("1.000000");
      assertThat(steps.get("domains").get(0).asText()).isEqualTo(MailTestSupport.DOMAIN);
      assertThat(steps.get("email").asText()).endsWith("@" + MailTestSupport.DOMAIN);
      assertThat(steps.get("noMessageYet").isNull()).isTrue();
      assertThat(steps.get("message").asText()).isEqualTo("https://example.com/verify?token=npm-1");
      assertThat(steps.get("full").asText()).contains("Your verification code is 246135");
      assertThat(steps.get("reordered").isNull()).isTrue();
      assertThat(steps.get("balanceAfter").asText()).isEqualTo("0.950000");
      assertThat(node.exitValue()).isZero();
    }
  }

  private static void installClient() throws IOException, InterruptedException {
    Files.createDirectories(WORK);
    for (String file : new String[] {"package.json", "package-lock.json", "client.mjs"}) {
      Files.copy(CLIENT.resolve(file), WORK.resolve(file), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
    if (!Files.isDirectory(WORK.resolve("node_modules/@sadzurami/kopeechka-store"))) {
      // Never the test JVM's own stdin and stdout: surefire talks to its forked JVM through them.
      Path npmLog = WORK.resolve("npm-ci.log");
      Process npm = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund").directory(WORK.toFile())
          .redirectErrorStream(true).redirectOutput(npmLog.toFile()).start();
      npm.getOutputStream().close();
      assertThat(npm.waitFor(5, TimeUnit.MINUTES)).isTrue();
      assertThat(npm.exitValue()).as("npm ci (its output is in %s)", npmLog).isZero();
    }
  }

  private static void letter(TestApp app, String to) {
    try {
      MimeMessage letter = new MimeMessage(MailTestSupport.session(app));
      letter.setFrom(new InternetAddress("Example <no-reply@example.com>"));
      letter.setRecipient(MimeMessage.RecipientType.TO, new InternetAddress(to));
      letter.setSubject("Verify your email");
      letter.setText("<p>Your verification code is 246135</p><p><a href=\"https://example.com/verify?token=npm-1\">"
          + "Verify email</a></p>", "UTF-8", "html");
      MailTestSupport.send(app, letter, to);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
