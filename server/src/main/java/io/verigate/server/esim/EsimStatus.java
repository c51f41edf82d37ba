package io.verigate.server.esim;

/**
 * Where an eSIM is in its life, in Airalo's words: {@code NOT_ACTIVE} until the phone installs it and first uses data,
 * {@code ACTIVE} while it has data and days, {@code FINISHED} when its data ran out, {@code EXPIRED} when its days did;
 * and ours, {@code REFUNDED}, once its price went back to the wallet (possible only while NOT_ACTIVE).
 */
public enum EsimStatus {
  NOT_ACTIVE, ACTIVE, FINISHED, EXPIRED, REFUNDED;

  /**
   * The states the operator's usage report may set; EXPIRED follows from the days (or is what a remote supplier
   * says) and REFUNDED from a refund.
   */
  public boolean reportable() {
    return this == NOT_ACTIVE || this == ACTIVE || this == FINISHED;
  }
}
