-- Keys customers manage themselves: what a key may do (comma-separated scopes), the client addresses it may be
-- used from (comma-separated CIDR ranges, NULL = any), when it stops working, which key replaced it in a
-- rotation, and where it was last used. Existing keys keep every scope and no limits.
ALTER TABLE api_key ADD COLUMN scopes VARCHAR(40) DEFAULT 'read,buy,keys' NOT NULL;
ALTER TABLE api_key ADD COLUMN allowed_ips VARCHAR(4000);
ALTER TABLE api_key ADD COLUMN expires_at TIMESTAMP WITH TIME ZONE;
ALTER TABLE api_key ADD COLUMN replaced_by VARCHAR(16);
ALTER TABLE api_key ADD COLUMN last_used_at TIMESTAMP WITH TIME ZONE;
ALTER TABLE api_key ADD COLUMN last_used_address VARCHAR(45);
