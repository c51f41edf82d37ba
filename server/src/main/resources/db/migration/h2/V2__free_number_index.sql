-- H2 has no partial indexes; the composite index serves the same allocation query.
CREATE INDEX phone_number_free ON phone_number (mode, country, active_activation_id, id);
