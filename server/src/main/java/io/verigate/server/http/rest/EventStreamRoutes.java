package io.verigate.server.http.rest;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.verigate.server.account.Mode;
import io.verigate.server.account.Operation;
import io.verigate.server.account.Principal;
import io.verigate.server.activation.ActivationService;
import io.verigate.server.http.support.Gate;
import io.verigate.server.http.support.Requests;
import io.verigate.server.notify.EventStream;
import io.verigate.server.notify.EventStreams;
import io.verigate.server.notify.StreamRequest;
import io.verigate.server.system.ErrorCode;
import io.verigate.server.system.Failure;
import jakarta.servlet.AsyncContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Server-Sent Events under {@code /api/v1}: a customer's events, or one activation's, as they are committed, resumable
 * with {@code Last-Event-ID}. Opening a stream passes the access gate like a status poll; the stream itself lives in
 * {@link EventStreams} and this class only turns the request into one and the response into its sink.
 */
public final class EventStreamRoutes {
  private static final Pattern EVENT_TYPE = Pattern.compile("[a-z][a-z_]*\\.[a-z][a-z_]*");
  private static final int MAX_TYPES = 20;

  private final Gate gate;
  private final ActivationService activations;
  private final EventStreams streams;

  public EventStreamRoutes(Gate gate, ActivationService activations, EventStreams streams) {
    this.gate = gate;
    this.activations = activations;
    this.streams = streams;
  }

  public void register(RoutesConfig routes) {
    routes.get("/api/v1/events", ctx -> open(ctx, null));
    routes.get("/api/v1/activations/{id}/events", ctx -> open(ctx, Requests.activationId(ctx.pathParam("id"))));
  }

  private void open(Context ctx, Integer activationId) {
    open(ctx, gate.customer(ctx, Operation.POLL), activationId);
  }

  /**
   * Opens a stream for a principal some other credential admitted (the dashboard's session): {@code activationId}'s
   * events, or every event of the principal's when null.
   */
  public void open(Context ctx, Principal principal, Integer activationId) {
    // Another customer's activation, or one of the other mode, is not found, as everywhere else.
    boolean over = activationId != null && !activations.get(principal, activationId).status().isLive();
    StreamRequest request = new StreamRequest(principal.customerId(), principal.mode() == Mode.TEST, types(ctx),
        activationId == null ? null : activationId.longValue(), lastEventId(ctx), over);
    if (over && !streams.hasMore(request)) {
      // An activation that is over, and the client has all its events: 204 tells EventSource not to reconnect.
      ctx.status(HttpStatus.NO_CONTENT);
      return;
    }
    ServletEventSink[] sink = new ServletEventSink[1];
    streams.open(request, stream -> sink[0] = start(ctx, stream));
    ctx.future(() -> sink[0].ended());
  }

  /** Sends the stream's headers and hands the response, now asynchronous, to a sink. */
  private static ServletEventSink start(Context ctx, EventStream stream) {
    ctx.status(HttpStatus.OK);
    ctx.contentType("text/event-stream;charset=utf-8");
    // Proxies such as nginx would otherwise hold events back to fill their buffer.
    ctx.header("X-Accel-Buffering", "no");
    AsyncContext async = ctx.req().startAsync();
    async.setTimeout(0); // a stream ends by its lifetime or its client, not by the container's async timeout
    try {
      ServletEventSink sink = new ServletEventSink(async, stream);
      sink.write(": stream open\n\n"); // sends the headers now, so the client knows the stream is open
      return sink;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code ?types=a,b}: event type names; none means every type. */
  private static Set<String> types(Context ctx) {
    String value = ctx.queryParam("types");
    Set<String> types = new LinkedHashSet<>();
    if (value != null) {
      Arrays.stream(value.split(",")).map(String::trim).filter(t -> !t.isEmpty()).forEach(types::add);
    }
    for (String type : types) {
      if (!EVENT_TYPE.matcher(type).matches()) {
        throw new Failure(ErrorCode.BAD_REQUEST, "types must be event types such as activation.received, got '"
            + type + "'");
      }
    }
    if (types.size() > MAX_TYPES) {
      throw new Failure(ErrorCode.BAD_REQUEST, "types may name at most " + MAX_TYPES + " event types");
    }
    return types;
  }

  /** The last event the client has: the {@code Last-Event-ID} header EventSource sends, or {@code ?lastEventId=}. */
  private static Long lastEventId(Context ctx) {
    String value = ctx.header("Last-Event-ID");
    if (value == null || value.isBlank()) {
      value = ctx.queryParam("lastEventId");
    }
    if (value == null || value.isBlank()) {
      return null;
    }
    try {
      long id = Long.parseLong(value.trim());
      if (id >= 0) {
        return id;
      }
    } catch (NumberFormatException e) {
      // falls through
    }
    throw new Failure(ErrorCode.BAD_REQUEST, "Last-Event-ID (or lastEventId) must be an event id, got '" + value + "'");
  }
}
