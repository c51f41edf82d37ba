package io.verigate.server.http.esim;

import io.javalin.config.RoutesConfig;
import io.verigate.server.esim.AiraloWebhook;
import java.util.Map;

/**
 * Airalo's webhooks at the path the operator configured ({@code esim-airalo-webhook-path}). Airalo checks the URL with
 * a HEAD request before it sends anything, and counts any answer but 200 as a failure (even 204), so both methods
 * answer exactly 200 when all is well. The signature, not an API key, is the credential here.
 */
public final class AiraloWebhookRoutes {
  private final String path;
  private final AiraloWebhook webhook;

  public AiraloWebhookRoutes(String path, AiraloWebhook webhook) {
    this.path = path;
    this.webhook = webhook;
  }

  public void register(RoutesConfig routes) {
    routes.head(path, ctx -> ctx.status(200));
    routes.post(path, ctx -> {
      webhook.receive(ctx.bodyAsBytes(), ctx.header("airalo-signature"));
      ctx.status(200).json(Map.of("received", true));
    });
  }
}
