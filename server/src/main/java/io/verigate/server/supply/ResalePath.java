package io.verigate.server.supply;

import io.verigate.client.VerigateClient;
import io.verigate.server.system.ErrorCode;
import io.verigate.server.system.Failure;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The Verigate nodes a purchase passed through before it reached this one, oldest first: empty for a customer's own
 * purchase, the reselling nodes' ids (sent as {@value VerigateClient#VIA_HEADER}) for one bought by a node that
 * resells. A node on the path, or a path of {@link #MAX_RESELLERS} already, means the purchase is served from this
 * node's own stock only: reselling it upstream again could lead back to a node on the path (A resells from B and B
 * from A), and the purchase would go round until the upstream timeouts ran out.
 */
public record ResalePath(List<String> nodes) {
  public static final ResalePath NONE = new ResalePath(List.of());
  /** Longer chains of resellers are rare, and each link adds its timeout to the buyer's wait. */
  public static final int MAX_RESELLERS = 4;
  private static final Pattern NODE = Pattern.compile("[A-Za-z0-9._-]{1,64}");
  /** Room for a few more ids than {@link #MAX_RESELLERS}, so a long path is refused resale, not read as bad input. */
  private static final int MAX_LISTED = 16;

  public ResalePath {
    nodes = List.copyOf(nodes);
  }

  /** The header's value; null or blank for none. */
  public static ResalePath parse(String header) {
    if (header == null || header.isBlank()) {
      return NONE;
    }
    List<String> nodes = new ArrayList<>();
    for (String part : header.split(",", -1)) {
      String node = part.trim();
      if (!NODE.matcher(node).matches() || nodes.size() == MAX_LISTED) {
        throw new Failure(ErrorCode.BAD_REQUEST, VerigateClient.VIA_HEADER + " must list at most " + MAX_LISTED
            + " node ids separated by commas, each 1-64 letters, digits, dots, dashes or underscores");
      }
      nodes.add(node);
    }
    return new ResalePath(nodes);
  }

  /** Whether the node {@code nodeId} may buy the purchase upstream. */
  public boolean resellableBy(String nodeId) {
    return nodes.size() < MAX_RESELLERS && !nodes.contains(nodeId);
  }

  /** The path as the upstream that {@code nodeId} buys from sees it. */
  public ResalePath then(String nodeId) {
    List<String> longer = new ArrayList<>(nodes);
    longer.add(nodeId);
    return new ResalePath(longer);
  }
}
