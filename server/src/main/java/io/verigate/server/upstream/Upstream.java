package io.verigate.server.upstream;

import java.net.URI;

/** A provider this node resells from: the number source it is, what it speaks, where, with which key, at what rule. */
public record Upstream(long sourceId, String name, Protocol protocol, URI baseUrl, String key, int rank,
    PriceRule priceRule) {

  /** The key must not reach logs. */
  @Override
  public String toString() {
    return "upstream " + name + " (" + protocol.code() + " at " + baseUrl + ")";
  }
}
