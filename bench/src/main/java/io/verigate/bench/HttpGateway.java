package io.verigate.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;

/** A gateway pushing to the generic adapter, {@code POST /api/v1/inbound/sms}, over one pooled keep-alive client. */
final class HttpGateway implements Gateway {
  private final Api api;
  private final String token;
  private final long sourceId;
  private final HttpClient client = Api.newClient();

  HttpGateway(BenchNode node) {
    this.api = new Api(node.baseUrl(), node.customerKey());
    this.token = node.gateway().token();
    this.sourceId = node.gateway().source().id();
  }

  @Override
  public String path() {
    return "HTTP POST /api/v1/inbound/sms";
  }

  @Override
  public long sourceId() {
    return sourceId;
  }

  @Override
  public void deliver(String to, String text, String messageId) throws IOException, InterruptedException {
    ObjectNode body = Api.JSON.createObjectNode().put("to", to).put("from", "WhatsApp").put("text", text)
        .put("messageId", messageId);
    HttpResponse<String> reply = client.send(api.post("/api/v1/inbound/sms", token, body.toString()),
        HttpResponse.BodyHandlers.ofString());
    if (reply.statusCode() != 200) {
      throw new IOException("inbound push answered " + reply.statusCode() + ": " + reply.body());
    }
  }

  @Override
  public void close() {
    // The JDK client's connections close when it is collected; Java 17's client has no close().
  }
}
