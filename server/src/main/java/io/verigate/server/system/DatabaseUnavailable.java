package io.verigate.server.system;

/**
 * The database cannot be reached now (no pooled connection within the wait, a broken or refused connection), or is too
 * busy to serve this request (it waited too long for a row lock): a refusal that lifts by itself, which each dialect words as its own server-side failure, telling clients to retry.
 */
public final class DatabaseUnavailable extends Failure implements RetryLater {
  /** Long enough for a restarted server or a failover, short enough that clients come back promptly. */
  private static final long RETRY_AFTER_SECONDS = 5;

  DatabaseUnavailable() {
    this("the database is unavailable; try again in a few seconds");
  }

  private DatabaseUnavailable(String message) {
    super(ErrorCode.SERVICE_UNAVAILABLE, message);
  }

  /** The request waited too long for a row lock that other requests held (a burst on one wallet). */
  static DatabaseUnavailable busy() {
    return new DatabaseUnavailable("the database is busy; try again in a few seconds");
  }

  @Override
  public long retryAfterSeconds() {
    return RETRY_AFTER_SECONDS;
  }
}
