package io.verigate.server.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.verigate.server.system.ErrorCode;
import io.verigate.server.system.Failure;
import java.net.InetAddress;
import java.net.URI;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DeliveryAddressesTest {
  private final DeliveryAddresses guarded = new DeliveryAddresses(false);

  @ParameterizedTest
  @ValueSource(strings = {"http://127.0.0.1/hook", "http://127.8.9.10/", "http://10.0.0.1/", "http://172.16.0.1/",
      "http://172.31.255.255/", "http://192.168.1.1/", "http://169.254.169.254/latest/meta-data/",
      "http://100.64.0.1/", "http://100.127.255.254/", "http://0.0.0.0/", "http://[::]/", "http://[::1]/",
      "http://[fd00::1]/", "http://[fc00::5]/", "http://[fe80::1]/", "http://[::ffff:10.0.0.1]/",
      "http://[::ffff:127.0.0.1]/", "http://224.0.0.1/", "http://localhost:8080/hook"})
  void refusesEveryAddressThatLeadsIntoANetwork(String url) {
    assertThatThrownBy(() -> guarded.resolve(DeliveryAddresses.parse(url)))
        .isInstanceOf(Failure.class)
        .hasMessageContaining("not a public address")
        .extracting(e -> ((Failure) e).code()).isEqualTo(ErrorCode.BAD_REQUEST);
  }

  /** Ranges beyond the private ones: each is refused, and so is NAT64's way of reaching a private IPv4 address. */
  @ParameterizedTest
  @ValueSource(strings = {
      "http://[64:ff9b::a00:1]/",            // NAT64 of 10.0.0.1
      "http://[64:ff9b::7f00:1]/",           // NAT64 of 127.0.0.1
      "http://[64:ff9b::a9fe:a9fe]/",        // NAT64 of 169.254.169.254
      "http://[64:ff9b::c0a8:101]/",         // NAT64 of 192.168.1.1
      "http://[64:ff9b::6440:1]/",           // NAT64 of 100.64.0.1
      "http://[64:ff9b:1::5db8:d822]/",      // local-use NAT64, whatever it embeds
      "http://198.18.0.1/", "http://198.19.255.254/",   // 198.18.0.0/15
      "http://192.0.0.8/", "http://192.0.0.170/",       // 192.0.0.0/24
      "http://240.0.0.1/", "http://255.255.255.255/", "http://250.1.2.3/",  // 240.0.0.0/4
      "http://100.64.0.0/", "http://100.100.100.200/",  // 100.64.0.0/10
      "http://239.255.255.250/", "http://[ff02::1]/", "http://[ff0e::1]/"}) // multicast
  void refusesTheOtherRangesThatAreNoPublicDestination(String url) {
    assertThatThrownBy(() -> guarded.resolve(DeliveryAddresses.parse(url)))
        .isInstanceOf(Failure.class).hasMessageContaining("not a public address");
  }

  @ParameterizedTest
  @ValueSource(strings = {"https://93.184.216.34/hook", "http://100.128.0.1/", "http://172.32.0.1/",
      "https://[2606:4700:4700::1111]/x", "http://11.0.0.1:8080/a?b=c", "http://[64:ff9b::5db8:d822]/",
      "http://198.20.0.1/", "http://192.0.1.1/", "http://223.255.255.254/"})
  void acceptsPublicAddressesAndConnectsToTheOneChecked(String url) throws Exception {
    URI parsed = DeliveryAddresses.parse(url);

    InetAddress address = guarded.resolve(parsed);

    assertThat(address).isEqualTo(InetAddress.getByName(DeliveryAddresses.hostOf(parsed)));
  }

  @Test
  void theOperatorMayAllowPrivateAddresses() {
    assertThat(new DeliveryAddresses(true).resolve(DeliveryAddresses.parse("http://127.0.0.1:9/")).isLoopbackAddress())
        .isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"ftp://example.com/", "file:///etc/passwd", "gopher://example.com/", "http:///nohost",
      "https://user:pw@example.com/", "http://example.com/#frag", "not a url", "", "mailto:a@example.com"})
  void refusesUrlsThatAreNotPlainHttpOrHttps(String url) {
    assertThatThrownBy(() -> DeliveryAddresses.parse(url)).isInstanceOf(Failure.class)
        .extracting(e -> ((Failure) e).code()).isEqualTo(ErrorCode.BAD_REQUEST);
  }

  @Test
  void refusesAHostThatDoesNotResolve() {
    assertThatThrownBy(() -> guarded.resolve(DeliveryAddresses.parse("http://no-such-host.invalid/")))
        .isInstanceOf(Failure.class).hasMessageContaining("does not resolve");
  }
}
