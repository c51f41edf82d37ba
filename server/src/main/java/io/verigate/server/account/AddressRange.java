package io.verigate.server.account;

import io.verigate.server.system.ErrorCode;
import io.verigate.server.system.Failure;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * An IPv4 or IPv6 network in CIDR notation ({@code 203.0.113.0/24}, {@code 2001:db8::/32}); a bare address is a
 * network of one. Used for key allowlists and for the proxies whose {@code X-Forwarded-For} the node believes.
 *
 * <p>Only literals are accepted: a host name would make every check a DNS lookup that whoever controls the
 * name could steer.
 */
public record AddressRange(byte[] network, int prefixLength, String text) {
  private static final String OCTET = "(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)";
  private static final Pattern IPV4 = Pattern.compile(OCTET + "(\\." + OCTET + "){3}");
  /** The most ranges one key or one setting may list: enough for any office, small enough to check per request. */
  public static final int MAX_RANGES = 50;

  public static AddressRange parse(String cidr) {
    String value = cidr == null ? "" : cidr.trim();
    int slash = value.indexOf('/');
    String address = slash < 0 ? value : value.substring(0, slash);
    byte[] bytes = literal(address)
        .orElseThrow(() -> new Failure(ErrorCode.BAD_REQUEST, "'" + cidr + "' is not an IPv4 or IPv6 address or CIDR range"));
    int bits = bytes.length * 8;
    int prefix = bits;
    if (slash >= 0) {
      try {
        prefix = Integer.parseInt(value.substring(slash + 1));
      } catch (NumberFormatException e) {
        prefix = -1;
      }
      if (prefix < 0 || prefix > bits) {
        throw new Failure(ErrorCode.BAD_REQUEST, "'" + cidr + "' has a prefix length outside 0.." + bits);
      }
    }
    byte[] network = masked(bytes, prefix);
    return new AddressRange(network, prefix, text(network, prefix));
  }

  /** Parses a comma- or whitespace-separated list; empty input is an empty list. */
  public static List<AddressRange> parseList(String list) {
    List<AddressRange> ranges = new ArrayList<>();
    if (list != null) {
      for (String part : list.split("[,\\s]+")) {
        if (!part.isBlank()) {
          ranges.add(parse(part));
        }
      }
    }
    if (ranges.size() > MAX_RANGES) {
      throw new Failure(ErrorCode.BAD_REQUEST, "at most " + MAX_RANGES + " address ranges are allowed");
    }
    return List.copyOf(ranges);
  }

  public static String format(List<AddressRange> ranges) {
    return String.join(",", ranges.stream().map(AddressRange::text).toList());
  }

  /** Whether a client address (a literal, as the HTTP layer reports it) lies in this range. */
  public boolean contains(String clientAddress) {
    return literal(clientAddress).map(this::contains).orElse(false);
  }

  public static boolean anyContains(List<AddressRange> ranges, String clientAddress) {
    Optional<byte[]> bytes = literal(clientAddress);
    return bytes.isPresent() && ranges.stream().anyMatch(range -> range.contains(bytes.get()));
  }

  private boolean contains(byte[] address) {
    byte[] candidate = address;
    if (candidate.length != network.length) {
      candidate = network.length == 4 ? ipv4Mapped(candidate) : null;
      if (candidate == null) {
        return false;
      }
    }
    return Arrays.equals(masked(candidate, prefixLength), network);
  }

  /** {@code ::ffff:a.b.c.d}, as a dual-stack socket reports an IPv4 client, compared as the IPv4 address. */
  private static byte[] ipv4Mapped(byte[] v6) {
    for (int i = 0; i < 10; i++) {
      if (v6[i] != 0) {
        return null;
      }
    }
    if (v6[10] != (byte) 0xff || v6[11] != (byte) 0xff) {
      return null;
    }
    return Arrays.copyOfRange(v6, 12, 16);
  }

  /** Whether the text is an IP address literal (never a host name). */
  public static boolean isLiteral(String address) {
    return literal(address).isPresent();
  }

  private static Optional<byte[]> literal(String address) {
    if (address == null) {
      return Optional.empty();
    }
    String a = address.trim();
    if (a.startsWith("[") && a.endsWith("]")) {
      a = a.substring(1, a.length() - 1);
    }
    // A colon makes InetAddress read the text as an IPv6 literal (a scope id would name an interface, so none
    // is taken); anything else must be dotted IPv4, checked before InetAddress can treat it as a host name.
    boolean isLiteral = a.indexOf(':') >= 0 ? a.indexOf('%') < 0 : IPV4.matcher(a).matches();
    if (!isLiteral) {
      return Optional.empty();
    }
    try {
      return Optional.of(InetAddress.getByName(a).getAddress());
    } catch (UnknownHostException e) {
      return Optional.empty();
    }
  }

  private static byte[] masked(byte[] address, int prefix) {
    byte[] out = address.clone();
    for (int i = 0; i < out.length; i++) {
      int keep = Math.max(0, Math.min(8, prefix - i * 8));
      out[i] = (byte) (out[i] & (0xff << (8 - keep)));
    }
    return out;
  }

  private static String text(byte[] network, int prefix) {
    String address = network.length == 4 ? ipv4Text(network) : ipv6Text(network);
    return prefix == network.length * 8 ? address : address + "/" + prefix;
  }

  private static String ipv4Text(byte[] address) {
    return (address[0] & 0xff) + "." + (address[1] & 0xff) + "." + (address[2] & 0xff) + "." + (address[3] & 0xff);
  }

  /** RFC 5952's canonical form ({@code 2001:db8::1}), which people type and compare, not Java's expanded one. */
  private static String ipv6Text(byte[] address) {
    int[] groups = new int[8];
    for (int i = 0; i < 8; i++) {
      groups[i] = ((address[2 * i] & 0xff) << 8) | (address[2 * i + 1] & 0xff);
    }
    int bestStart = -1;
    int bestLength = 1;
    for (int i = 0; i < 8; i++) {
      int length = 0;
      while (i + length < 8 && groups[i + length] == 0) {
        length++;
      }
      if (length > bestLength) {
        bestStart = i;
        bestLength = length;
      }
    }
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < 8; i++) {
      if (i == bestStart) {
        text.append("::");
        i += bestLength - 1;
        continue;
      }
      if (text.length() > 0 && text.charAt(text.length() - 1) != ':') {
        text.append(':');
      }
      text.append(Integer.toHexString(groups[i]));
    }
    return text.toString();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof AddressRange range && range.text.equals(text);
  }

  @Override
  public int hashCode() {
    return text.hashCode();
  }

  @Override
  public String toString() {
    return text;
  }
}
