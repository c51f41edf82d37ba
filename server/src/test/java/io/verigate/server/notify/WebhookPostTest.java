package io.verigate.server.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLServerSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The webhook client against a bare socket that answers with exactly the bytes a test gives it. */
class WebhookPostTest {
  @Test
  void sendsTheSignedPostToTheCheckedAddressUnderTheUrlsHost() throws Exception {
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      CompletableFuture<String> request = answer(server, "HTTP/1.1 204 No Content\r\n\r\n");
      URI url = URI.create("http://hooks.example.com:" + server.getLocalPort() + "/in?tenant=7");

      WebhookPost.Answer answer = WebhookPost.send(url, InetAddress.getLoopbackAddress(),
          Map.of("webhook-id", "evt_1"), "{\"a\":1}");

      assertThat(answer.status()).isEqualTo(204);
      assertThat(request.get()).startsWith("POST /in?tenant=7 HTTP/1.1\r\n")
          .contains("Host: hooks.example.com:" + server.getLocalPort() + "\r\n")
          .contains("webhook-id: evt_1\r\n").contains("Content-Length: 7\r\n").endsWith("\r\n\r\n{\"a\":1}");
    }
  }

  @Test
  void readsAChunkedAnswerAndItsRetryAfter() throws Exception {
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      answer(server, "HTTP/1.1 429 Too Many\r\nTransfer-Encoding: chunked\r\nRetry-After: 120\r\n\r\n"
          + "3\r\nabc\r\n4;x=y\r\ndefg\r\n0\r\n\r\n");

      WebhookPost.Answer answer = WebhookPost.send(URI.create("http://127.0.0.1:" + server.getLocalPort() + "/"),
          InetAddress.getLoopbackAddress(), Map.of(), "{}");

      assertThat(answer.status()).isEqualTo(429);
      assertThat(answer.retryAfter()).isEqualTo(Duration.ofSeconds(120));
      assertThat(answer.excerpt()).isEqualTo("abcdefg");
    }
  }

  @Test
  void somethingThatIsNotHttpIsAnError() throws Exception {
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      answer(server, "SSH-2.0-OpenSSH_9.6\r\n");

      assertThatThrownBy(() -> WebhookPost.send(URI.create("http://127.0.0.1:" + server.getLocalPort() + "/"),
          InetAddress.getLoopbackAddress(), Map.of(), "{}")).isInstanceOf(IOException.class)
          .hasMessageContaining("not an HTTP answer");
    }
  }

  @Test
  void readsRetryAfterInSecondsOrAsADateAndCapsItAtADay() {
    assertThat(WebhookPost.retryAfter("0")).isEqualTo(Duration.ZERO);
    assertThat(WebhookPost.retryAfter("999999")).isEqualTo(Duration.ofDays(1));
    assertThat(WebhookPost.retryAfter("Wed, 21 Oct 2015 07:28:00 GMT")).isEqualTo(Duration.ZERO);
    assertThat(WebhookPost.retryAfter("soon")).isNull();
  }

  /** Accepts one connection, reads the request (head and declared body), answers {@code reply}, and closes. */
  /**
   * An https receiver must present a certificate the node's JVM trusts (its default trust store, which an operator
   * extends with {@code -Djavax.net.ssl.trustStore}): a self-signed one is refused before any byte of the event
   * leaves, with the TLS error as the delivery's error.
   */
  @Test
  void refusesAnHttpsReceiverWhoseCertificateIsSelfSigned(@TempDir Path dir) throws Exception {
    SSLContext tls = selfSigned(dir, "hooks.example.com");
    try (SSLServerSocket server = (SSLServerSocket) tls.getServerSocketFactory()
        .createServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      CompletableFuture<String> request = answer(server, "HTTP/1.1 200 OK\r\n\r\n");

      assertThatThrownBy(() -> WebhookPost.send(URI.create("https://hooks.example.com:" + server.getLocalPort() + "/"),
          InetAddress.getLoopbackAddress(), Map.of(), "{\"code\":\"123456\"}"))
          .isInstanceOf(SSLHandshakeException.class)
          .hasMessageContaining("PKIX path building failed");
      assertThat(request).failsWithin(Duration.ofSeconds(10));
    }
  }

  /** A server context with a fresh self-signed certificate for {@code host}, made by the JDK's keytool. */
  private static SSLContext selfSigned(Path dir, String host) throws Exception {
    Path store = dir.resolve("receiver.p12");
    Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
        "-genkeypair", "-alias", "receiver", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=" + host,
        "-ext", "SAN=dns:" + host, "-validity", "2", "-storetype", "PKCS12", "-keystore", store.toString(),
        "-storepass", "changeit", "-keypass", "changeit").redirectErrorStream(true)
        .redirectOutput(dir.resolve("keytool.log").toFile()).start();
    assertThat(keytool.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(keytool.exitValue()).as(Files.readString(dir.resolve("keytool.log"))).isZero();
    KeyStore keys = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(store)) {
      keys.load(in, "changeit".toCharArray());
    }
    KeyManagerFactory managers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    managers.init(keys, "changeit".toCharArray());
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(managers.getKeyManagers(), null, null);
    return context;
  }

  private static CompletableFuture<String> answer(ServerSocket server, String reply) {
    return CompletableFuture.supplyAsync(() -> {
      try (Socket socket = server.accept()) {
        InputStream in = socket.getInputStream();
        ByteArrayOutputStream request = new ByteArrayOutputStream();
        while (!request.toString(StandardCharsets.US_ASCII).contains("\r\n\r\n")) {
          request.write(in.read());
        }
        String head = request.toString(StandardCharsets.US_ASCII);
        int length = Integer.parseInt(head.replaceAll("(?s).*Content-Length: (\\d+).*", "$1"));
        request.write(in.readNBytes(length));
        socket.getOutputStream().write(reply.getBytes(StandardCharsets.US_ASCII));
        return request.toString(StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    });
  }
}
