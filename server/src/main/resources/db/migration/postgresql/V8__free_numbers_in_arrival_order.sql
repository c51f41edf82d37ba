-- Allocation takes the free number that arrived first (created_at, then id). Ordering by id alone let the planner
-- walk the primary key from the first number ever imported, through every number already sold, on each purchase
-- (milliseconds per purchase once thousands were sold); no other index can serve this order, so the partial index
-- of free numbers always does and a purchase reads a handful of pages.
DROP INDEX phone_number_free;
CREATE INDEX phone_number_free ON phone_number (mode, country, created_at, id) WHERE active_activation_id IS NULL AND enabled;
