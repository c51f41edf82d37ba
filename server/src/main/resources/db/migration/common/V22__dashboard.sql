-- The dashboard's log-ins: a customer's email and bcrypt password hash (one log-in per customer).
CREATE TABLE customer_login (
  customer_id   BIGINT        NOT NULL PRIMARY KEY REFERENCES customer (id),
  email         VARCHAR(254)  NOT NULL,
  password_hash VARCHAR(72)   NOT NULL,
  created_at    TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE UNIQUE INDEX customer_login_email ON customer_login (email);

-- Dashboard sessions, stored as the SHA-256 of the cookie's token. customer_id is null for the operator's sessions
-- (opened with the admin token).
CREATE TABLE dashboard_session (
  token_sha256 VARCHAR(64)   NOT NULL PRIMARY KEY,
  customer_id  BIGINT        REFERENCES customer (id),
  created_at   TIMESTAMP WITH TIME ZONE NOT NULL,
  expires_at   TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX dashboard_session_expiry ON dashboard_session (expires_at);
