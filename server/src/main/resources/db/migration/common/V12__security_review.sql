-- What a security review asked for. Shared by H2 and PostgreSQL.

-- How many times an activation changed: its ETag. The ETag was a digest of the code and text, from which a six-digit
-- code could be recovered by trying every candidate.
ALTER TABLE activation ADD COLUMN revision INTEGER DEFAULT 0 NOT NULL;

-- Whether a vonage source without a signature secret takes unsigned webhooks. Off for every source, those already
-- there included: without a secret, the source's name was all that kept strangers from posting SMS.
ALTER TABLE number_source ADD COLUMN allow_unsigned BOOLEAN DEFAULT FALSE NOT NULL;

-- A message a source sent to a number of another source: kept in the journal, matched to nothing, and refused. A
-- source delivers only to its own numbers.
ALTER TABLE inbound_message ADD COLUMN rejected BOOLEAN DEFAULT FALSE NOT NULL;

-- Source secrets are stored sealed under the node's master key (AES-256-GCM, see system.SecretBox), which makes them
-- longer than the secrets themselves: v1:<key id>:<base64 of nonce, ciphertext and tag>. The limits on the secrets
-- are checked before they are sealed. Rows stored in clear are sealed by the node's first start after this.
ALTER TABLE number_source ALTER COLUMN signing_secret SET DATA TYPE VARCHAR(2000);
ALTER TABLE smpp_link ALTER COLUMN password SET DATA TYPE VARCHAR(2000);
ALTER TABLE smshub_agent ALTER COLUMN protocol_key SET DATA TYPE VARCHAR(2000);
