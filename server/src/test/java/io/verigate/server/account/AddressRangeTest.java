package io.verigate.server.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.verigate.server.system.Failure;
import java.util.List;
import org.junit.jupiter.api.Test;

class AddressRangeTest {
  @Test
  void ipv4RangesContainTheirAddressesOnly() {
    AddressRange office = AddressRange.parse("203.0.113.0/24");

    assertThat(office.contains("203.0.113.0")).isTrue();
    assertThat(office.contains("203.0.113.255")).isTrue();
    assertThat(office.contains("203.0.114.1")).isFalse();
    assertThat(office.contains("::ffff:203.0.113.9")).as("an IPv4 client on a dual-stack socket").isTrue();
    assertThat(office.contains("2001:db8::1")).isFalse();
  }

  @Test
  void ipv6RangesAndSingleAddresses() {
    assertThat(AddressRange.parse("2001:db8::/32").contains("2001:db8:ffff::1")).isTrue();
    assertThat(AddressRange.parse("2001:db8::/32").contains("2001:db9::1")).isFalse();
    assertThat(AddressRange.parse("192.0.2.7").contains("192.0.2.7")).isTrue();
    assertThat(AddressRange.parse("192.0.2.7").contains("192.0.2.8")).isFalse();
    assertThat(AddressRange.parse("0.0.0.0/0").contains("198.51.100.1")).isTrue();
  }

  @Test
  void theStoredFormIsTheNetworkNotWhatWasTyped() {
    assertThat(AddressRange.parse(" 203.0.113.77/24 ").text()).isEqualTo("203.0.113.0/24");
    assertThat(AddressRange.format(AddressRange.parseList("10.1.2.3/8, 192.0.2.1"))).isEqualTo("10.0.0.0/8,192.0.2.1");
    assertThat(AddressRange.parseList(null)).isEmpty();
    assertThat(AddressRange.parse("2001:0DB8:0:0:0:0:0:0/32").text()).isEqualTo("2001:db8::/32");
    assertThat(AddressRange.parse("2001:db8:0:1:0:0:0:1").text()).isEqualTo("2001:db8:0:1::1");
    assertThat(AddressRange.parse("::1").text()).isEqualTo("::1");
    assertThat(AddressRange.parse("::/0").text()).isEqualTo("::/0");
  }

  @Test
  void hostNamesAndBadPrefixesAreRefusedWithoutALookup() {
    for (String bad : List.of("example.com", "localhost", "10.0.0.0/33", "2001:db8::/129", "10.0.0.0/x", "1.2.3", "256.1.1.1", "010.0.0.1", "fe80::1%eth0", "")) {
      assertThatThrownBy(() -> AddressRange.parse(bad)).as(bad).isInstanceOf(Failure.class);
    }
    assertThat(AddressRange.parse("10.0.0.0/8").contains("example.com")).isFalse();
    assertThat(AddressRange.parse("10.0.0.0/8").contains(null)).isFalse();
  }
}
