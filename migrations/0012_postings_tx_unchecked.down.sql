ALTER TABLE ledger_postings
    ADD CONSTRAINT ledger_postings_merchant_id_tx_id_fkey FOREIGN KEY (merchant_id, tx_id) REFERENCES ledger_transactions (merchant_id, id);
