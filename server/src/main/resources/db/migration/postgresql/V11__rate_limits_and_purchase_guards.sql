-- Rate-limit budgets that every node on this database shares (account/DatabaseBuckets): one row per budget, in the
-- layout Bucket4j's PostgreSQL proxy manager reads and writes. id is the budget's key (policy, quota, partition),
-- state Bucket4j's serialized bucket, expires_at (epoch milliseconds) when the bucket is full again and the row may go.
CREATE TABLE rate_limit_bucket (
  id         TEXT PRIMARY KEY,
  state      BYTEA,
  expires_at BIGINT
);

-- The purchase guards (activation/PurchaseLimits) count a customer's recent activations: the live ones bought within
-- one lifetime, and the outcomes within the success-rate window. Without this index each count would read the
-- customer's whole history.
CREATE INDEX activation_customer_created ON activation (customer_id, mode, created_at);
