-- Webhook credentials and health of number sources. Shared by H2 and PostgreSQL.

-- The key a provider signs its webhooks with (Android gateway signing key, Twilio auth token). Kept in clear
-- because verifying an HMAC needs the key itself, not a hash of it.
ALTER TABLE number_source ADD COLUMN signing_secret VARCHAR(200);
-- The public URL a provider signs along with the request (Twilio), exactly as configured at the provider.
ALTER TABLE number_source ADD COLUMN webhook_url VARCHAR(1000);

-- Health counters the journal cannot answer: it keeps one row per message, not the repeats or the refusals.
ALTER TABLE number_source ADD COLUMN duplicate_count BIGINT DEFAULT 0 NOT NULL;
ALTER TABLE number_source ADD COLUMN rejected_count BIGINT DEFAULT 0 NOT NULL;
ALTER TABLE number_source ADD COLUMN last_error VARCHAR(500);
ALTER TABLE number_source ADD COLUMN last_error_at TIMESTAMP WITH TIME ZONE;

-- Which number each SIM slot of a phone serves: the Android gateway reports the slot, not the number.
CREATE TABLE source_sim (
  source_id BIGINT      NOT NULL REFERENCES number_source (id),
  sim_slot  INTEGER     NOT NULL,
  e164      VARCHAR(20) NOT NULL,
  PRIMARY KEY (source_id, sim_slot)
);
