-- The Airalo side of eSIMs: sealed profile secrets, usage polled from the supplier, top-ups bought there, and the
-- catalog synced from its packages.

-- Matching ids and confirmation codes install a profile, so they are stored sealed under the master key
-- (v1:<key id>:<base64>, see SecretBox), which is longer than the clear text: a 255-character matching id seals to
-- under 400 characters, a 16-character confirmation code to under 80. Rows stored in clear are sealed at start.
ALTER TABLE esim_profile ALTER COLUMN matching_id SET DATA TYPE VARCHAR(512);
ALTER TABLE esim_profile ALTER COLUMN confirmation_code SET DATA TYPE VARCHAR(128);
ALTER TABLE esim ALTER COLUMN matching_id SET DATA TYPE VARCHAR(512);
ALTER TABLE esim ALTER COLUMN confirmation_code SET DATA TYPE VARCHAR(128);

-- When the supplier was last asked for this eSIM's usage: the row is the cache every node shares, so customers
-- polling an eSIM ask the supplier at most once per freshness window.
ALTER TABLE esim ADD COLUMN usage_checked_at TIMESTAMP WITH TIME ZONE;
-- The last low-data level the supplier's webhook announced ('75%', '90%', '3days', '1days'): Airalo retries a
-- notification until it is answered 200, so one that arrives again becomes no second event.
ALTER TABLE esim ADD COLUMN last_low_data VARCHAR(8);

-- A top-up charged and then refused by the supplier is refunded at once; the row keeps when.
ALTER TABLE esim_topup ADD COLUMN refunded_at TIMESTAMP WITH TIME ZONE;

-- Plans the catalog sync owns name their supplier (synced_from 'airalo'); the operator's own plans have NULL, even
-- when they fall back to a supplier package. withdrawn: the package disappeared upstream, so the plan is off sale
-- until it comes back; kept apart from enabled, which is the operator's choice and which the sync never overrides.
ALTER TABLE esim_plan ADD COLUMN synced_from VARCHAR(32);
ALTER TABLE esim_plan ADD COLUMN withdrawn BOOLEAN DEFAULT FALSE NOT NULL;
CREATE INDEX esim_plan_synced ON esim_plan (synced_from, id);
-- The supplier's webhooks name an eSIM by its ICCID.
CREATE INDEX esim_iccid ON esim (iccid);
