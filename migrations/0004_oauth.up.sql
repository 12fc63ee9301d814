-- The JSON OAuth2 API (seed 003): access tokens, the transaction type
-- catalogue, customer tiers, checkbooks and the daily report rollups.

-- Access tokens issued by go-oauth2's client-credentials grant. Only the
-- SHA-256 of a token is kept: the token itself is shown once.
CREATE TABLE oauth_tokens (
    merchant_id bigint NOT NULL REFERENCES merchants (id),
    id          bigint GENERATED ALWAYS AS IDENTITY,
    client_id   bigint NOT NULL,
    token_hash  bytea NOT NULL,
    created_at  timestamptz NOT NULL,
    expires_at  timestamptz NOT NULL,
    revoked_at  timestamptz,
    PRIMARY KEY (merchant_id, id),
    FOREIGN KEY (merchant_id, client_id) REFERENCES oauth_clients (merchant_id, id)
);
CREATE UNIQUE INDEX oauth_tokens_hash ON oauth_tokens (token_hash);
CREATE INDEX oauth_tokens_client ON oauth_tokens (merchant_id, client_id) WHERE revoked_at IS NULL;

-- The transaction type catalogue, per merchant. direction is the customer's
-- side of the posting; report_column names the stores report column the
-- type's points count in.
CREATE TABLE transaction_types (
    merchant_id    bigint NOT NULL REFERENCES merchants (id),
    name           text NOT NULL CHECK (name <> '' AND length(name) <= 64),
    unit           smallint NOT NULL CHECK (unit IN (1, 2)),
    direction      text NOT NULL CHECK (direction IN ('CREDIT', 'DEBIT', 'TRANSFER')),
    report_column  text CHECK (report_column IN ('orders', 'coupons', 'balance', 'redeemed', 'expired')),
    title          text NOT NULL DEFAULT '',
    reversal_title text NOT NULL DEFAULT 'Reverso',
    system_only    boolean NOT NULL DEFAULT false,
    created_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (merchant_id, name)
);

-- seed_transaction_types gives a merchant the catalogue of oauth-api.md.
CREATE FUNCTION seed_transaction_types(m bigint) RETURNS void LANGUAGE sql AS $$
    INSERT INTO transaction_types (merchant_id, name, unit, direction, report_column, title, reversal_title, system_only)
    VALUES (m, 'POINTS ORDER', 1, 'CREDIT', 'orders', 'Orden', 'Reverso de orden', false),
           (m, 'POINTS COUPON', 1, 'CREDIT', 'coupons', 'Cupón', 'Reverso de cupón', false),
           (m, 'POINTS BALANCE', 1, 'CREDIT', 'balance', 'Saldo', 'Reverso de saldo', false),
           (m, 'POINTS REDEEM', 1, 'DEBIT', 'redeemed', 'Canje', 'Reverso de canje', false),
           (m, 'BALANCE RELOAD', 2, 'CREDIT', NULL, 'Recarga', 'Reverso de recarga', false),
           (m, 'BALANCE PAYMENT', 2, 'DEBIT', NULL, 'Pago', 'Reverso de pago', false),
           (m, 'BALANCE TRANSFER DEBIT', 1, 'TRANSFER', NULL, 'Transferencia', 'Reverso de transferencia', false),
           (m, 'POINTS EXPIRED', 1, 'DEBIT', 'expired', 'Puntos expirados', 'Reverso', true)
    ON CONFLICT DO NOTHING
$$;

CREATE FUNCTION seed_transaction_types_trigger() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM seed_transaction_types(NEW.id);
    RETURN NEW;
END
$$;

CREATE TRIGGER merchants_seed_transaction_types AFTER INSERT ON merchants
    FOR EACH ROW EXECUTE FUNCTION seed_transaction_types_trigger();

SELECT seed_transaction_types(id) FROM merchants;

-- Customer tiers (grupos). A rule's threshold is the amount of its unit a
-- customer must have earned in the group's rolling window to be in the group;
-- its multiplier (hundredths: 150 = x1.5) scales POINTS ORDER earnings.
CREATE TABLE customer_groups (
    merchant_id   bigint NOT NULL REFERENCES merchants (id),
    id            bigint GENERATED ALWAYS AS IDENTITY,
    name          text NOT NULL CHECK (name <> ''),
    description   text NOT NULL DEFAULT '',
    next_group_id bigint,
    is_default    boolean NOT NULL DEFAULT false,
    window_days   integer NOT NULL DEFAULT 365 CHECK (window_days BETWEEN 1 AND 3660),
    created_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (merchant_id, id),
    FOREIGN KEY (merchant_id, next_group_id) REFERENCES customer_groups (merchant_id, id)
);
CREATE UNIQUE INDEX customer_groups_default ON customer_groups (merchant_id) WHERE is_default;

CREATE TABLE group_rules (
    merchant_id bigint NOT NULL,
    group_id    bigint NOT NULL,
    unit        smallint NOT NULL CHECK (unit IN (1, 2)),
    multiplier  bigint NOT NULL DEFAULT 100 CHECK (multiplier BETWEEN 0 AND 100000),
    threshold   bigint NOT NULL DEFAULT 0 CHECK (threshold >= 0),
    PRIMARY KEY (merchant_id, group_id, unit),
    FOREIGN KEY (merchant_id, group_id) REFERENCES customer_groups (merchant_id, id)
);

ALTER TABLE customers ADD COLUMN group_id bigint;
ALTER TABLE customers ADD FOREIGN KEY (merchant_id, group_id) REFERENCES customer_groups (merchant_id, id);
ALTER TABLE customers ADD COLUMN created_day date;

-- What each customer earned per local day and unit: the tier window sums a
-- customer's own rows, so no row is shared between customers.
CREATE TABLE customer_daily_earnings (
    merchant_id bigint NOT NULL,
    customer_id bigint NOT NULL,
    unit        smallint NOT NULL,
    day         date NOT NULL,
    earned      bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (merchant_id, customer_id, unit, day),
    FOREIGN KEY (merchant_id, customer_id) REFERENCES customers (merchant_id, id)
);

-- Checkbooks: orders with product lines, recorded with the points they
-- earned or redeemed. redemption says which report columns the lines feed.
CREATE TABLE checkbooks (
    merchant_id     bigint NOT NULL REFERENCES merchants (id),
    id              bigint GENERATED ALWAYS AS IDENTITY,
    transaction_id  bigint,
    type            text NOT NULL,
    code            text,
    external_id     text,
    customer_id     bigint NOT NULL,
    store_id        bigint,
    title           text NOT NULL DEFAULT '',
    total           bigint NOT NULL,
    earned_redeemed bigint NOT NULL,
    redemption      boolean NOT NULL,
    day             date NOT NULL,
    created_at      timestamptz NOT NULL,
    PRIMARY KEY (merchant_id, id),
    FOREIGN KEY (merchant_id, customer_id) REFERENCES customers (merchant_id, id),
    FOREIGN KEY (merchant_id, store_id) REFERENCES stores (merchant_id, id)
);

CREATE TABLE checkbook_lines (
    merchant_id     bigint NOT NULL,
    checkbook_id    bigint NOT NULL,
    line_no         integer NOT NULL,
    name            text NOT NULL DEFAULT '',
    product_code    text NOT NULL,
    total           bigint NOT NULL,
    earned_redeemed bigint NOT NULL,
    quantity        bigint NOT NULL DEFAULT 1 CHECK (quantity > 0),
    PRIMARY KEY (merchant_id, checkbook_id, line_no),
    FOREIGN KEY (merchant_id, checkbook_id) REFERENCES checkbooks (merchant_id, id)
);

-- Daily rollups behind the two reports, maintained in the posting
-- transaction. A row is per (merchant, local day, store[, product], shard):
-- concurrent sales of one store spread over a few shards instead of all
-- waiting on one row. store_id 0 is "no store".
CREATE TABLE report_store_daily (
    merchant_id           bigint NOT NULL,
    day                   date NOT NULL,
    store_id              bigint NOT NULL,
    shard                 smallint NOT NULL,
    preregistered_pos     bigint NOT NULL DEFAULT 0,
    subscribed_after_pos  bigint NOT NULL DEFAULT 0,
    registered_app        bigint NOT NULL DEFAULT 0,
    registered_web        bigint NOT NULL DEFAULT 0,
    referrals             bigint NOT NULL DEFAULT 0,
    point_earned_orders   bigint NOT NULL DEFAULT 0,
    point_earned_coupons  bigint NOT NULL DEFAULT 0,
    point_earned_balance  bigint NOT NULL DEFAULT 0,
    point_redeemed        bigint NOT NULL DEFAULT 0,
    point_expired         bigint NOT NULL DEFAULT 0,
    point_reversed_coupon bigint NOT NULL DEFAULT 0,
    point_reversed_order  bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (merchant_id, day, store_id, shard)
);

CREATE TABLE report_product_daily (
    merchant_id          bigint NOT NULL,
    day                  date NOT NULL,
    store_id             bigint NOT NULL,
    product_code         text NOT NULL,
    shard                smallint NOT NULL,
    num_orders           bigint NOT NULL DEFAULT 0,
    num_products         bigint NOT NULL DEFAULT 0,
    num_redeemed         bigint NOT NULL DEFAULT 0,
    point_redeemed       bigint NOT NULL DEFAULT 0,
    point_earned_orders  bigint NOT NULL DEFAULT 0,
    point_earned_coupons bigint NOT NULL DEFAULT 0,
    point_earned_balance bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (merchant_id, day, store_id, product_code, shard)
);
