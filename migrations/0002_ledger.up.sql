-- The double-entry points ledger (spec/ledger.md) and the Idempotency-Key store.
--
-- What the database itself enforces:
--   * postings are immutable (trigger), amounts positive, never from an account to itself;
--   * ledger transactions are never deleted and only their `data` may change;
--   * one reversal per transaction (unique reverses_tx_id);
--   * natural idempotency keys unique per merchant (idem_scope, idem_key);
--   * one account per (merchant, owner, unit, batch).
-- Holder balances never go negative: every balance update is conditional
-- (balance + delta >= 0 unless a reversal is allowed to go negative), see
-- internal/store/ledger_post.go.
--
-- Deliberately missing foreign keys: ledger_transactions and ledger_postings
-- do not reference merchants, stores or accounts, because every foreign key
-- check takes a KEY SHARE lock on the referenced row, and a merchant row or a
-- system account referenced by every sale would become a hot, multixact-laden
-- row. The store writes those ids itself; GET /admin/v1/merchants/{id}/ledger/check
-- verifies the result.

CREATE TABLE ledger_batches (
    merchant_id bigint NOT NULL REFERENCES merchants (id),
    id          bigint GENERATED ALWAYS AS IDENTITY,
    set_name    text NOT NULL DEFAULT '',
    start_date  timestamptz,
    end_date    timestamptz,
    expires_at  timestamptz NOT NULL,
    -- Set by the expiry job once no account of the batch holds points; a
    -- reversal restoring points into the batch clears it again.
    swept_at    timestamptz,
    created_at  timestamptz NOT NULL,
    PRIMARY KEY (merchant_id, id),
    CHECK (end_date IS NULL OR start_date IS NULL OR end_date >= start_date)
);
-- A batch is found or created by its content, so that every credit expiring
-- on the same date into the same set shares one batch (and one account per holder).
CREATE UNIQUE INDEX ledger_batches_natural ON ledger_batches
    (merchant_id, set_name, expires_at, coalesce(start_date, '-infinity'), coalesce(end_date, '-infinity'));
CREATE INDEX ledger_batches_due ON ledger_batches (expires_at) WHERE swept_at IS NULL;

CREATE TABLE ledger_accounts (
    merchant_id bigint NOT NULL REFERENCES merchants (id),
    id          bigint GENERATED ALWAYS AS IDENTITY,
    owner_kind  text NOT NULL CHECK (owner_kind IN ('customer', 'wallet_member', 'card_member', 'system')),
    owner_id    bigint NOT NULL,
    unit        smallint NOT NULL CHECK (unit IN (1, 2, 3)),
    batch_id    bigint,
    expires_at  timestamptz,          -- the batch's, copied so balances read one table
    -- Materialised for holder accounts only; system accounts stay 0 and their
    -- balances are derived from postings, so no sale updates a shared row.
    balance     bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (merchant_id, id),
    FOREIGN KEY (merchant_id, batch_id) REFERENCES ledger_batches (merchant_id, id),
    CHECK ((batch_id IS NULL) = (expires_at IS NULL)),
    CHECK (owner_kind <> 'system' OR (batch_id IS NULL AND balance = 0))
);
CREATE UNIQUE INDEX ledger_accounts_owner ON ledger_accounts
    (merchant_id, owner_kind, owner_id, unit, coalesce(batch_id, 0));
CREATE INDEX ledger_accounts_batch ON ledger_accounts (merchant_id, batch_id) WHERE batch_id IS NOT NULL;

-- Every merchant gets its system accounts (ledger.System*: issued, redeemed,
-- expired, adjustment, completed, transfer) in every unit when it is created,
-- so posting never has to create (and lock) one.
CREATE FUNCTION ledger_create_system_accounts() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO ledger_accounts (merchant_id, owner_kind, owner_id, unit)
    SELECT NEW.id, 'system', s, u FROM generate_series(1, 6) s, unnest('{1,2,3}'::smallint[]) u
    ON CONFLICT DO NOTHING;
    RETURN NULL;
END $$;
CREATE TRIGGER merchants_system_accounts AFTER INSERT ON merchants
    FOR EACH ROW EXECUTE FUNCTION ledger_create_system_accounts();
INSERT INTO ledger_accounts (merchant_id, owner_kind, owner_id, unit)
SELECT m.id, 'system', s, u FROM merchants m, generate_series(1, 6) s, unnest('{1,2,3}'::smallint[]) u;

CREATE TABLE ledger_transactions (
    merchant_id        bigint NOT NULL,
    id                 bigint GENERATED ALWAYS AS IDENTITY,
    type               text NOT NULL CHECK (type <> ''),
    code               text,
    -- Natural idempotency key (a sale's ticket per program, a type+code...);
    -- fingerprint is the content the first request carried.
    idem_scope         text,
    idem_key           text,
    fingerprint        bytea,
    title              text NOT NULL DEFAULT '',
    description        text NOT NULL DEFAULT '',
    external_entity_id text,
    store_id           bigint,
    collaborator_id    bigint,
    amount             bigint,        -- purchase money in hundredths, when the event has one
    reverses_tx_id     bigint,
    data               jsonb,
    created_at         timestamptz NOT NULL,
    PRIMARY KEY (merchant_id, id),
    FOREIGN KEY (merchant_id, reverses_tx_id) REFERENCES ledger_transactions (merchant_id, id),
    CHECK ((idem_scope IS NULL) = (idem_key IS NULL))
);
CREATE UNIQUE INDEX ledger_transactions_idem ON ledger_transactions (merchant_id, idem_scope, idem_key)
    WHERE idem_key IS NOT NULL;
CREATE UNIQUE INDEX ledger_transactions_reverses ON ledger_transactions (merchant_id, reverses_tx_id)
    WHERE reverses_tx_id IS NOT NULL;
CREATE INDEX ledger_transactions_code ON ledger_transactions (merchant_id, type, code) WHERE code IS NOT NULL;
CREATE INDEX ledger_transactions_created ON ledger_transactions (merchant_id, created_at);

CREATE TABLE ledger_postings (
    merchant_id  bigint NOT NULL,
    tx_id        bigint NOT NULL,
    n            smallint NOT NULL,
    from_account bigint NOT NULL,
    to_account   bigint NOT NULL,
    unit         smallint NOT NULL CHECK (unit IN (1, 2, 3)),
    amount       bigint NOT NULL CHECK (amount > 0),
    PRIMARY KEY (merchant_id, tx_id, n),
    FOREIGN KEY (merchant_id, tx_id) REFERENCES ledger_transactions (merchant_id, id),
    CHECK (from_account <> to_account)
);
CREATE INDEX ledger_postings_from ON ledger_postings (merchant_id, from_account, tx_id);
CREATE INDEX ledger_postings_to ON ledger_postings (merchant_id, to_account, tx_id);

-- Invariant 3: a correction is a new transaction, never an edit.
CREATE FUNCTION ledger_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_TABLE_NAME = 'ledger_transactions' AND TG_OP = 'UPDATE'
       AND to_jsonb(NEW) - 'data' = to_jsonb(OLD) - 'data' THEN
        RETURN NEW;  -- the API's extras may be completed; the ledger facts may not
    END IF;
    RAISE EXCEPTION 'ledger: % of % refused, the ledger is append-only', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'restrict_violation';
END $$;
CREATE TRIGGER ledger_postings_immutable BEFORE UPDATE OR DELETE ON ledger_postings
    FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change();
CREATE TRIGGER ledger_postings_no_truncate BEFORE TRUNCATE ON ledger_postings
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change();
CREATE TRIGGER ledger_transactions_immutable BEFORE UPDATE OR DELETE ON ledger_transactions
    FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change();
CREATE TRIGGER ledger_transactions_no_truncate BEFORE TRUNCATE ON ledger_transactions
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change();

-- The Idempotency-Key header store: one row per (merchant, key). status is
-- NULL while the first request is still running.
CREATE TABLE idempotency_keys (
    merchant_id bigint NOT NULL,      -- no foreign key: see the top of this file
    key         text NOT NULL,
    method      text NOT NULL,
    path        text NOT NULL,
    fingerprint bytea NOT NULL,
    status      integer,
    headers     jsonb,
    body        bytea,
    created_at  timestamptz NOT NULL,
    PRIMARY KEY (merchant_id, key)
);
CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at);
