package io.verigate.server.esim;

import io.verigate.server.system.Database;
import io.verigate.server.system.Failure;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The usage of eSIMs bought from the remote supplier, which counts their data: asked of it when a customer reads such
 * an eSIM, at most once a minute per eSIM across every node (the eSIM's row records the last poll, claimed by one
 * conditional update), so customers polling in a loop cost Airalo one request a minute (it allows ten per ICCID and
 * serves figures it refreshes every 20 minutes anyway). The poll runs outside any transaction; its answer is then
 * written like a usage report, low-data events included. A supplier that cannot answer leaves the usage we had.
 */
final class SupplierUsagePolls {
  static final Duration FRESH = Duration.ofMinutes(1);
  private static final Logger log = LoggerFactory.getLogger(SupplierUsagePolls.class);

  private final Database db;
  private final RemoteEsimSupplier supplier;
  private final EsimRepository repository;
  private final EsimEvents events;

  SupplierUsagePolls(Database db, RemoteEsimSupplier supplier, EsimRepository repository, EsimEvents events) {
    this.db = db;
    this.supplier = supplier;
    this.repository = repository;
    this.events = events;
  }

  /** The eSIM with its supplier's usage, when it is one of the supplier's and its last poll is older than a minute. */
  Esim fresh(Esim esim, Instant now) {
    if (esim.refundedAt() != null
        || !db.inTransaction(h -> repository.claimUsagePoll(h, esim.id(), supplier.name(), now, now.minus(FRESH)))) {
      return esim;
    }
    SupplierUsage usage;
    try {
      usage = supplier.usage(esim.profile().iccid());
    } catch (Failure unanswered) {
      log.warn("usage of eSIM {} not polled from {}: {}", esim.id(), supplier.name(), unanswered.getMessage());
      return esim;
    }
    return db.inTransaction(h -> {
      Esim before = repository.lock(h, esim.id()).orElseThrow();
      Esim after = before.withSupplierUsage(usage, now);
      repository.update(h, after);
      events.usageReported(h, before, after);
      return after;
    });
  }
}
