package io.verigate.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A gateway pushing to the generic adapter, {@code POST /api/v1/inbound/sms}, on a keep-alive connection per sender. */
final class HttpGateway implements Gateway {
  private final int port;
  private final String token;
  private final long sourceId;
  private final List<KeepAliveConnection> opened = new CopyOnWriteArrayList<>();
  private final ThreadLocal<KeepAliveConnection> connection;

  HttpGateway(BenchNode node) {
    this.port = node.app().port();
    this.token = node.gateway().token();
    this.sourceId = node.gateway().source().id();
    this.connection = ThreadLocal.withInitial(() -> {
      KeepAliveConnection created = new KeepAliveConnection(port);
      opened.add(created);
      return created;
    });
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
  public void deliver(String to, String text, String messageId) throws IOException {
    ObjectNode body = Api.JSON.createObjectNode().put("to", to).put("from", "WhatsApp").put("text", text)
        .put("messageId", messageId);
    KeepAliveConnection.Response reply = connection.get()
        .exchange(KeepAliveConnection.post("/api/v1/inbound/sms", token, body.toString()));
    if (reply.status() != 200) {
      throw new IOException("inbound push answered " + reply.status() + ": " + reply.text());
    }
  }

  @Override
  public void close() {
    opened.forEach(KeepAliveConnection::close);
  }
}
