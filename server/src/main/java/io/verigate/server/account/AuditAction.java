package io.verigate.server.account;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** What an audit entry records; {@link #code} is how the log and its API name it. */
public enum AuditAction {
  CUSTOMER_CREATED("customer.created"),
  KEY_CREATED("key.created"),
  KEY_ROTATED("key.rotated"),
  KEY_REVOKED("key.revoked"),
  WALLET_CREDITED("wallet.credited"),
  /** A wallet's low-balance threshold was set or turned off. */
  WALLET_LOW_BALANCE_SET("wallet.low_balance_set"),
  PRICE_SET("price.set"),
  SOURCE_CREATED("source.created"),
  /** Settings of a source that are no secret changed (a webhook URL, a SIM map, an SMSC address). */
  SOURCE_CONFIGURED("source.configured"),
  /** A secret of a source changed: which one is recorded, never its value. */
  SOURCE_SECRET_CHANGED("source.secret_changed"),
  NUMBERS_IMPORTED("numbers.imported"),
  /** A webhook endpoint was registered, changed, deleted, or given a new secret (recorded as changed, never shown). */
  WEBHOOK_CREATED("webhook.created"),
  WEBHOOK_CHANGED("webhook.changed"),
  WEBHOOK_DELETED("webhook.deleted"),
  WEBHOOK_SECRET_ROTATED("webhook.secret_rotated"),
  /** The operator made an outbox item due again. */
  OUTBOX_RETRIED("outbox.retried"),
  /** An eSIM plan was created or changed. */
  ESIM_PLAN_SAVED("esim.plan_saved"),
  ESIM_PROFILES_IMPORTED("esim.profiles_imported"),
  ESIM_CATALOG_SYNCED("esim.catalog_synced");

  private final String code;

  AuditAction(String code) {
    this.code = code;
  }

  public String code() {
    return code;
  }

  public static Optional<AuditAction> ofCode(String code) {
    return Arrays.stream(values()).filter(action -> action.code.equals(code)).findFirst();
  }

  /** Every action's code, for a refusal that lists them. */
  public static List<String> codes() {
    return Arrays.stream(values()).map(AuditAction::code).toList();
  }
}
