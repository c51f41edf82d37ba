package io.verigate.server.http.legacy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLConnection;
import java.net.URLStreamHandler;

/**
 * Sends the official sms-activate Java client to a local node. The library builds its URLs from the fixed
 * {@code https://sms-activate.ru/stubs/handler_api.php?} and opens them with {@link URL#openConnection()}, so a
 * JVM-wide handler for {@code https} answers that host from the node under test, keeping path and query, and
 * leaves every other host to the JDK's own handler. A JVM takes one such factory, so it is installed once.
 */
final class SmsActivateHost {
  static final String HOST = "sms-activate.ru";

  private static volatile String target;
  private static boolean installed;

  private SmsActivateHost() {}

  /** Routes the library's requests to {@code baseUrl} (such as {@code http://127.0.0.1:7070}) from now on. */
  static synchronized void routeTo(String baseUrl) {
    if (!installed) {
      // Made before the factory exists, so it carries the JDK's https handler for the hosts we leave alone.
      URL jdkHttps = url(null, "https://" + HOST + "/");
      URL.setURLStreamHandlerFactory(protocol -> "https".equals(protocol) ? new Redirect(jdkHttps) : null);
      installed = true;
    }
    target = baseUrl;
  }

  private static final class Redirect extends URLStreamHandler {
    private final URL jdkHttps;

    Redirect(URL jdkHttps) {
      this.jdkHttps = jdkHttps;
    }

    @Override
    protected URLConnection openConnection(URL url) throws IOException {
      if (HOST.equalsIgnoreCase(url.getHost()) && target != null) {
        return url(null, target + url.getFile()).openConnection();
      }
      // Same protocol as the context, so the new URL takes the context's (the JDK's) handler.
      return url(jdkHttps, url.toExternalForm()).openConnection();
    }
  }

  private static URL url(URL context, String spec) {
    try {
      return new URL(context, spec);
    } catch (MalformedURLException e) {
      throw new UncheckedIOException(e);
    }
  }
}
