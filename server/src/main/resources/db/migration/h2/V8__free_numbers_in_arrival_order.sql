-- Allocation takes the free number that arrived first (created_at, then id); see the PostgreSQL migration.
DROP INDEX phone_number_free;
CREATE INDEX phone_number_free ON phone_number (mode, country, active_activation_id, created_at, id);
