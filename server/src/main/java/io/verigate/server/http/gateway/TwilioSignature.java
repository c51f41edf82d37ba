package io.verigate.server.http.gateway;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Twilio's {@code X-Twilio-Signature}: Base64 of HMAC-SHA1, keyed with the account's auth token, over the URL
 * Twilio called followed by every POST parameter as name then value, names sorted. All received parameters are
 * signed, including ones Twilio adds later, so none may be dropped before checking.
 */
final class TwilioSignature {
  private TwilioSignature() {}

  static String sign(String authToken, String url, Map<String, List<String>> params) {
    StringBuilder data = new StringBuilder(url);
    // A repeated name contributes each distinct value in sorted order, as Twilio's SDKs compute it.
    new TreeMap<>(params).forEach((name, values) -> new TreeSet<>(values).forEach(value -> data.append(name).append(value)));
    try {
      Mac mac = Mac.getInstance("HmacSHA1");
      mac.init(new SecretKeySpec(authToken.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
      return Base64.getEncoder().encodeToString(mac.doFinal(data.toString().getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every JDK has HmacSHA1", e);
    }
  }

  /**
   * Whether the header signs these parameters for the URL. Like Twilio's own SDKs, the URL is also tried without
   * its port and with the scheme's default port, because proxies and Twilio disagree on whether to show it.
   */
  static boolean matches(String authToken, String url, Map<String, List<String>> params, String header) {
    if (header == null || authToken == null || url == null) {
      return false;
    }
    byte[] presented = header.trim().getBytes(StandardCharsets.UTF_8);
    boolean matched = false;
    for (String variant : urlVariants(url)) {
      // Every variant is compared, so the time taken does not tell which one matched.
      matched |= MessageDigest.isEqual(sign(authToken, variant, params).getBytes(StandardCharsets.UTF_8), presented);
    }
    return matched;
  }

  static Set<String> urlVariants(String url) {
    Set<String> variants = new LinkedHashSet<>();
    variants.add(url);
    try {
      URI uri = new URI(url);
      int defaultPort = "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
      variants.add(withPort(uri, -1));
      variants.add(withPort(uri, uri.getPort() == -1 ? defaultPort : uri.getPort()));
    } catch (URISyntaxException e) {
      // the configured URL was checked when it was set; nothing else to try
    }
    return variants;
  }

  private static String withPort(URI uri, int port) {
    StringBuilder out = new StringBuilder(uri.getScheme()).append("://");
    if (uri.getRawUserInfo() != null) {
      out.append(uri.getRawUserInfo()).append('@');
    }
    out.append(uri.getHost());
    if (port != -1) {
      out.append(':').append(port);
    }
    out.append(uri.getRawPath() == null ? "" : uri.getRawPath());
    if (uri.getRawQuery() != null) {
      out.append('?').append(uri.getRawQuery());
    }
    if (uri.getRawFragment() != null) {
      out.append('#').append(uri.getRawFragment());
    }
    return out.toString();
  }
}
