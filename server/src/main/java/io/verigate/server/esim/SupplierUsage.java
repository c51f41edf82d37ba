package io.verigate.server.esim;

/**
 * An eSIM's usage as its supplier reports it. {@code status} is null when the supplier does not know (Airalo's
 * UNKNOWN), which leaves the state we have; {@code totalMb} and {@code remainingMb} are null for unlimited data, whose
 * counters mean nothing (Airalo answers zeros).
 */
public record SupplierUsage(EsimStatus status, Long totalMb, Long remainingMb) {
  public boolean unlimited() {
    return totalMb == null;
  }
}
