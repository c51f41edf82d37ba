-- The purchase guards (activation/PurchaseLimits) count a customer's recent activations: the live ones bought within
-- one lifetime, and the outcomes within the success-rate window. Without this index each count would read the
-- customer's whole history. (Rate-limit budgets stay in memory on H2, which serves one node.)
CREATE INDEX activation_customer_created ON activation (customer_id, mode, created_at);
