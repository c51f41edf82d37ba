package io.verigate.server.http.support;

import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.PreEncodedHttpField;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.Request;

/**
 * Headers every answer carries, whatever answers it: a route, an error handler, or Jetty refusing the request before
 * any route ran. {@code X-Content-Type-Options: nosniff}, so that no browser reads a body as anything but its declared
 * type (an SMS text shown as HTML, say). {@code Cache-Control: no-store}, so that no browser or proxy keeps a copy:
 * most answers carry a code, an SMS text, a key or a secret, and the few that do not (the catalog, the API document) are
 * cheap to send again. A route may still say otherwise for its own answer.
 */
public final class SecurityHeaders implements HttpConfiguration.Customizer {
  private static final HttpField NO_SNIFF = new PreEncodedHttpField("X-Content-Type-Options", "nosniff");
  private static final HttpField NO_STORE = new PreEncodedHttpField(HttpHeader.CACHE_CONTROL, "no-store");

  @Override
  public Request customize(Request request, HttpFields.Mutable responseHeaders) {
    addTo(responseHeaders);
    return request;
  }

  /** Adds both headers, for answers written where no customizer has run. */
  public static void addTo(HttpFields.Mutable responseHeaders) {
    responseHeaders.put(NO_SNIFF);
    responseHeaders.put(NO_STORE);
  }
}
