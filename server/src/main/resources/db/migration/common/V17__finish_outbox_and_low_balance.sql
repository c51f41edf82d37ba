-- 1. FINISH_ACTIVATION moves onto the generic outbox (kind 'smshub.finish', see inbound/smshub/FinishRelay): the
-- transaction that ends an activation on an agent's number now closes its smshub_activation row and enqueues the
-- item together. The row's own retry columns go; what they still owed becomes outbox items. Shared by H2 and
-- PostgreSQL.

-- An end that an older node committed without scheduling its FINISH (it crashed in between): the number is free and
-- its latest activation has ended, so the open row takes that activation's status as the older sweep would have.
UPDATE smshub_activation SET activation_id = (
    SELECT MAX(a.id) FROM activation a WHERE a.number_id = smshub_activation.number_id)
  WHERE finish_status IS NULL AND number_id IN (SELECT id FROM phone_number WHERE active_activation_id IS NULL)
    AND EXISTS (SELECT 1 FROM activation a WHERE a.number_id = smshub_activation.number_id);
UPDATE smshub_activation SET finish_status = (
    SELECT CASE a.status WHEN 'FINISHED' THEN 3 WHEN 'BANNED' THEN 1 ELSE 4 END
    FROM activation a WHERE a.id = smshub_activation.activation_id)
  WHERE finish_status IS NULL AND activation_id IS NOT NULL;

-- Every FINISH not yet accepted by its agent, due when its row said.
INSERT INTO outbox_item (kind, payload, state, created_at, due_at)
  SELECT 'smshub.finish',
      '{"source":' || CAST(source_id AS VARCHAR(20)) || ',"activation":' || CAST(agent_activation_id AS VARCHAR(20))
        || ',"status":' || CAST(finish_status AS VARCHAR(2)) || '}',
      'PENDING', created_at, COALESCE(next_attempt_at, created_at)
  FROM smshub_activation WHERE finish_status IS NOT NULL AND delivered_at IS NULL;

DROP INDEX smshub_activation_due;
ALTER TABLE smshub_activation DROP COLUMN attempts;
ALTER TABLE smshub_activation DROP COLUMN next_attempt_at;
ALTER TABLE smshub_activation DROP COLUMN delivered_at;
ALTER TABLE smshub_activation DROP COLUMN last_error;

-- 2. wallet.low_balance (see wallet/LowBalance): a wallet's threshold in ledger units (NULL: off, the default), and
-- whether the next purchase that leaves the available balance below it sends the event. The event disarms it; a
-- credit that lifts the balance back to the threshold or above arms it again.
ALTER TABLE wallet ADD COLUMN low_balance_threshold BIGINT;
ALTER TABLE wallet ADD COLUMN low_balance_armed BOOLEAN DEFAULT TRUE NOT NULL;

-- 3. A purchase's callbackUrl: kept on its activation (written by the purchase's own INSERT, so the purchase costs no
-- statement more), carried in the data of the activation's events, and posted to as a webhook delivery signed with
-- the customer's first enabled endpoint's secret (target_url; NULL: the endpoint's own URL).
ALTER TABLE activation ADD COLUMN callback_url VARCHAR(2000);
ALTER TABLE webhook_delivery ADD COLUMN target_url VARCHAR(2000);
