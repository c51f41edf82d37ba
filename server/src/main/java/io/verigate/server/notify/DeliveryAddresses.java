package io.verigate.server.notify;

import io.verigate.server.system.ErrorCode;
import io.verigate.server.system.Failure;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Locale;

/**
 * Where webhooks may go. A customer names the URL, so without a check a node would post on their behalf to its own
 * loopback, the operator's private network or a cloud's metadata service (169.254.169.254). A URL must be http or
 * https, and every address its host resolves to must be public; the check runs at creation and again before every
 * attempt, and the attempt connects to the very address that passed, so a name that resolves elsewhere in between
 * (DNS rebinding) gains nothing. An operator whose receivers live on a private network allows them with
 * {@code webhook-allow-private}.
 */
public final class DeliveryAddresses {
  static final int MAX_URL_LENGTH = 2000;

  private final boolean allowPrivate;

  public DeliveryAddresses(boolean allowPrivate) {
    this.allowPrivate = allowPrivate;
  }

  /** The URL a customer gives, parsed; refused unless http or https with a host and without credentials in it. */
  public static URI parse(String url) {
    if (url == null || url.isBlank()) {
      throw new Failure(ErrorCode.BAD_REQUEST, "url is required");
    }
    if (url.length() > MAX_URL_LENGTH) {
      throw new Failure(ErrorCode.BAD_REQUEST, "url is longer than " + MAX_URL_LENGTH + " characters");
    }
    URI uri;
    try {
      uri = new URI(url.trim());
    } catch (URISyntaxException e) {
      throw new Failure(ErrorCode.BAD_REQUEST, "url is not a valid URL: " + e.getReason());
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new Failure(ErrorCode.BAD_REQUEST, "url must be http or https");
    }
    if (uri.getHost() == null || uri.getRawUserInfo() != null || uri.getRawFragment() != null) {
      throw new Failure(ErrorCode.BAD_REQUEST, "url must name a host, without user info or a fragment");
    }
    return uri;
  }

  /**
   * The address to connect to for the URL's host: the first it resolves to, once every one passed the check. A host
   * that does not resolve, or resolves to any address that is not public, is refused.
   */
  public InetAddress resolve(URI url) {
    String host = hostOf(url);
    InetAddress[] addresses;
    try {
      addresses = InetAddress.getAllByName(host);
    } catch (UnknownHostException e) {
      throw new Failure(ErrorCode.BAD_REQUEST, "the url's host " + host + " does not resolve");
    }
    if (!allowPrivate) {
      for (InetAddress address : addresses) {
        if (!isPublic(address)) {
          throw new Failure(ErrorCode.BAD_REQUEST, "the url's host " + host + " resolves to "
              + address.getHostAddress() + ", which is not a public address; webhooks go to public addresses only");
        }
      }
    }
    return addresses[0];
  }

  /** The host as the resolver takes it: an IPv6 literal without its brackets. */
  static String hostOf(URI url) {
    String host = url.getHost();
    return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
  }

  /** Whether an address is reachable on the public internet, not one of the ranges that lead into a network. */
  static boolean isPublic(InetAddress address) {
    if (address.isAnyLocalAddress() || address.isLoopbackAddress() || address.isLinkLocalAddress()
        || address.isSiteLocalAddress() || address.isMulticastAddress()) {
      return false;
    }
    byte[] b = address.getAddress();
    if (address instanceof Inet4Address) {
      return isPublicV4(b);
    }
    Inet6Address v6 = (Inet6Address) address;
    if (isNat64(b)) {
      // A NAT64 gateway forwards 64:ff9b::a.b.c.d to a.b.c.d: the embedded address decides.
      return isPublicV4(Arrays.copyOfRange(b, 12, 16));
    }
    return (b[0] & 0xfe) != 0xfc                           // fc00::/7, unique local
        && !v6.isIPv4CompatibleAddress()                   // ::a.b.c.d, an IPv4 address in disguise
        && !startsWith(b, 0x00, 0x64, 0xff, 0x9b, 0x00, 0x01); // 64:ff9b:1::/48, NAT64 of a local network's own
  }

  /** An IPv4 address outside the ranges that lead into a network or lead nowhere public. */
  private static boolean isPublicV4(byte[] b) {
    int first = b[0] & 0xff;
    int second = b[1] & 0xff;
    int third = b[2] & 0xff;
    return first != 0                                      // 0.0.0.0/8, "this network"
        && first != 10                                     // 10.0.0.0/8 (for an address embedded in NAT64)
        && first != 127                                    // loopback
        && !(first == 169 && second == 254)                // link-local, cloud metadata services
        && !(first == 172 && (second & 0xf0) == 16)        // 172.16.0.0/12
        && !(first == 192 && second == 168)                // 192.168.0.0/16
        && !(first == 100 && (second & 0xc0) == 64)        // 100.64.0.0/10, carrier-grade NAT
        && !(first == 192 && second == 0 && third == 0)    // 192.0.0.0/24, IETF protocol assignments
        && !(first == 198 && (second & 0xfe) == 18)        // 198.18.0.0/15, benchmarking networks
        && first < 224;                                    // 224/4 multicast, 240/4 reserved, broadcast
  }

  /** 64:ff9b::/96, the well-known NAT64 prefix. */
  private static boolean isNat64(byte[] b) {
    return startsWith(b, 0x00, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0);
  }

  private static boolean startsWith(byte[] address, int... prefix) {
    for (int i = 0; i < prefix.length; i++) {
      if ((address[i] & 0xff) != prefix[i]) {
        return false;
      }
    }
    return true;
  }
}
