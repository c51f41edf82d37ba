-- Messages and refused requests per number source and UTC day, for the operator's chart. Each node counts in memory
-- and adds its counts here every few seconds, so no inbound message writes a row of its own for it.
CREATE TABLE source_day (
  source_id BIGINT NOT NULL,
  on_day    DATE   NOT NULL,
  messages  BIGINT NOT NULL DEFAULT 0,
  rejected  BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (source_id, on_day)
);
