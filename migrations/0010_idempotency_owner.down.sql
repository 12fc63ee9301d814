ALTER TABLE idempotency_keys DROP COLUMN committed, DROP COLUMN owner, DROP COLUMN id;
