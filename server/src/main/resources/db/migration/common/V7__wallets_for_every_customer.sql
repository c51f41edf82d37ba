-- From now on every customer gets its wallets (one per mode) in the transaction that creates it, so a wallet exists
-- before its first use and concurrent first purchases never race to create it. Customers created before this got
-- a wallet only on first use: open the missing ones.
INSERT INTO wallet (customer_id, mode)
SELECT c.id, m.mode FROM customer c CROSS JOIN (SELECT 'live' AS mode UNION ALL SELECT 'test') m
WHERE NOT EXISTS (SELECT 1 FROM wallet w WHERE w.customer_id = c.id AND w.mode = m.mode);
