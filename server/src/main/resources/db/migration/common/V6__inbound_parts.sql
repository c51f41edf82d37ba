-- Long SMS are reassembled by the inbound core for every adapter that receives them in parts (SMPP links, Vonage
-- webhooks), so the part journal loses its SMPP name. Shared by H2 and PostgreSQL.

ALTER TABLE smpp_part RENAME TO inbound_part;
ALTER INDEX smpp_part_group RENAME TO inbound_part_group;
ALTER INDEX smpp_part_waiting RENAME TO inbound_part_waiting;
ALTER INDEX smpp_part_expiry RENAME TO inbound_part_expiry;
-- The primary key, the foreign keys and the identity sequence keep the names each database generated for them: those
-- differ between H2 and PostgreSQL, so no shared statement can name them, and nothing refers to them by name.

-- The adapter a part came through (smpp, vonage): it prefixes the provider id of the message the part goes into.
-- Every part stored before this migration came over SMPP.
ALTER TABLE inbound_part ADD COLUMN channel VARCHAR(16) DEFAULT 'smpp' NOT NULL;
ALTER TABLE inbound_part ALTER COLUMN channel DROP DEFAULT;

-- How a vonage source's webhooks are signed with its signing_secret: md5hash, or an HMAC (md5, sha1, sha256, sha512).
ALTER TABLE number_source ADD COLUMN signature_method VARCHAR(16);
