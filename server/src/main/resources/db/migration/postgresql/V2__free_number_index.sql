-- Allocation scans only free numbers: a partial index keeps that scan small as the inventory grows.
CREATE INDEX phone_number_free ON phone_number (mode, country, id) WHERE active_activation_id IS NULL AND enabled;
