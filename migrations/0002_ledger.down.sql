DROP TABLE IF EXISTS idempotency_keys, ledger_postings, ledger_transactions, ledger_accounts, ledger_batches;
DROP TRIGGER IF EXISTS merchants_system_accounts ON merchants;
DROP FUNCTION IF EXISTS ledger_refuse_change(), ledger_create_system_accounts();
