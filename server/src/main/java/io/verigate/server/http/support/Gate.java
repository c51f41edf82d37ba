package io.verigate.server.http.support;

import io.javalin.http.Context;
import io.verigate.server.account.AccessGate;
import io.verigate.server.account.AddressRange;
import io.verigate.server.account.Operation;
import io.verigate.server.account.Principal;
import io.verigate.server.system.ErrorCode;
import io.verigate.server.system.Failure;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The access gate as HTTP sees it: reads the credential and the client's address from a request and asks the
 * core {@link AccessGate}. Every dialect's routes come through here, naming only the operation they perform.
 */
public final class Gate {
  private final AccessGate gate;
  private final List<AddressRange> trustedProxies;

  /** {@code trustedProxies}: the only peers whose {@code X-Forwarded-For} is believed. */
  public Gate(AccessGate gate, List<AddressRange> trustedProxies) {
    this.gate = gate;
    this.trustedProxies = List.copyOf(trustedProxies);
  }

  /** The calling customer, allowed to perform {@code operation}; otherwise a refusal. */
  public Principal customer(Context ctx, Operation operation) {
    return customer(ctx, Requests.apiKey(ctx), operation);
  }

  /** As {@link #customer(Context, Operation)}, for a dialect that carries the key somewhere of its own. */
  public Principal customer(Context ctx, String key, Operation operation) {
    try {
      AccessGate.Admission admission = gate.admit(key, operation, clientAddress(ctx));
      RateLimitHeaders.write(ctx, admission.verdict());
      return admission.principal();
    } catch (Failure refusal) {
      if (key == null && refusal.code() == ErrorCode.BAD_KEY) {
        throw new Failure(ErrorCode.BAD_KEY, "an API key is required (x-api-key header, Bearer token or key parameter)");
      }
      throw refusal;
    }
  }

  /** Admits the operator's admin token sent as Bearer, or refuses. */
  public void admin(Context ctx) {
    gate.admin(Requests.bearer(ctx), clientAddress(ctx));
  }

  /**
   * A credential only a feature can check (a number source's push token): {@code lookup} finds what it belongs to.
   * A request it does not vouch for spends its address's budget like any unvouched request, then is refused with
   * BAD_KEY.
   */
  public <T> T credential(Context ctx, String presented, Function<String, Optional<T>> lookup, String refusal) {
    Optional<T> found = presented == null || presented.isBlank() ? Optional.empty() : lookup.apply(presented);
    return found.orElseThrow(() -> gate.unvouched(clientAddress(ctx), new Failure(ErrorCode.BAD_KEY, refusal)));
  }

  /**
   * Whether the client reached the node over TLS: this node's own, or a trusted proxy's that says so in
   * {@code X-Forwarded-Proto} (the value the proxy nearest the node wrote, which is the last).
   */
  public boolean overTls(Context ctx) {
    if ("https".equals(ctx.scheme())) {
      return true;
    }
    String peer = ctx.req().getRemoteAddr();
    if (trustedProxies.isEmpty() || !AddressRange.anyContains(trustedProxies, peer)) {
      return false;
    }
    List<String> protocols = Collections.list(ctx.req().getHeaders("X-Forwarded-Proto")).stream()
        .flatMap(header -> Arrays.stream(header.split(","))).map(String::trim).toList();
    return !protocols.isEmpty() && "https".equalsIgnoreCase(protocols.get(protocols.size() - 1));
  }

  /**
   * The address the request came from. Behind a trusted proxy it is the nearest address in
   * {@code X-Forwarded-For} that is not itself a trusted proxy; anyone else's header is ignored, since a client
   * can write whatever it likes there.
   */
  public String clientAddress(Context ctx) {
    String peer = ctx.req().getRemoteAddr();
    if (trustedProxies.isEmpty() || !AddressRange.anyContains(trustedProxies, peer)) {
      return peer;
    }
    String client = peer;
    List<String> hops = Collections.list(ctx.req().getHeaders("X-Forwarded-For")).stream()
        .flatMap(header -> Arrays.stream(header.split(","))).map(String::trim).toList();
    for (int i = hops.size() - 1; i >= 0; i--) {
      String hop = hops.get(i);
      if (!AddressRange.isLiteral(hop)) {
        break;
      }
      client = hop;
      if (!AddressRange.anyContains(trustedProxies, hop)) {
        break;
      }
    }
    return client;
  }
}
