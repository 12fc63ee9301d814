-- The third-party shops API (seed 002): shops are the stores of 0001, plus
-- their sales agents, their customers and the sales orders placed there.

-- thirdparty_code returns prefix followed by 20 random digits (about 66
-- bits), e.g. pgbcus04521793016482257731. gen_random_uuid draws from
-- Postgres's strong random source; the uuid's version and variant nibbles
-- are dropped so that every hex digit used is random. Codes are made here,
-- as column defaults, so a store created by any API gets its shop code.
CREATE FUNCTION thirdparty_code(prefix text) RETURNS text
LANGUAGE sql VOLATILE PARALLEL SAFE AS $$
    SELECT prefix || string_agg(
        lpad(((('x' || lpad(substr(r, i * 7 + 1, 7), 8, '0'))::bit(32)::bigint) % 100000)::text, 5, '0'),
        '' ORDER BY i)
    FROM (SELECT substr(u, 1, 12) || substr(u, 14, 3) || substr(u, 18) AS r
          FROM (SELECT replace(gen_random_uuid()::text, '-', '') AS u) AS g) AS h,
         generate_series(0, 3) AS i
$$;

UPDATE stores SET code = thirdparty_code('pgbsho') WHERE code IS NULL;
ALTER TABLE stores ALTER COLUMN code SET DEFAULT thirdparty_code('pgbsho'),
                   ALTER COLUMN code SET NOT NULL;

-- Sales agents belong to one shop. The password is kept as a bcrypt hash.
CREATE TABLE thirdparty_agents (
    merchant_id   bigint NOT NULL REFERENCES merchants (id),
    id            bigint GENERATED ALWAYS AS IDENTITY,
    store_id      bigint NOT NULL,
    code          text NOT NULL DEFAULT thirdparty_code('pgbage'),
    name          text NOT NULL CHECK (name <> ''),
    email         text NOT NULL CHECK (email <> ''),
    phone         text,
    password_hash text NOT NULL,
    created_at    timestamptz NOT NULL,
    PRIMARY KEY (merchant_id, id),
    UNIQUE (merchant_id, code),
    FOREIGN KEY (merchant_id, store_id) REFERENCES stores (merchant_id, id)
);
CREATE INDEX thirdparty_agents_store ON thirdparty_agents (merchant_id, store_id, id);

-- Customers of a shop (not the JSON API's customers, nor the agenda's
-- contacts). The order counters are kept here, updated by each order in the
-- order's own transaction; total_orders is their sum.
CREATE TABLE thirdparty_customers (
    merchant_id     bigint NOT NULL REFERENCES merchants (id),
    id              bigint GENERATED ALWAYS AS IDENTITY,
    store_id        bigint NOT NULL,
    agent_id        bigint,
    code            text NOT NULL DEFAULT thirdparty_code('pgbcus'),
    name            text NOT NULL CHECK (name <> ''),
    lastname        text,
    phone           text,
    email           text,
    agent_orders    bigint NOT NULL DEFAULT 0 CHECK (agent_orders >= 0),
    no_agent_orders bigint NOT NULL DEFAULT 0 CHECK (no_agent_orders >= 0),
    created_at      timestamptz NOT NULL,
    PRIMARY KEY (merchant_id, id),
    UNIQUE (merchant_id, code),
    FOREIGN KEY (merchant_id, store_id) REFERENCES stores (merchant_id, id),
    FOREIGN KEY (merchant_id, agent_id) REFERENCES thirdparty_agents (merchant_id, id)
);
CREATE INDEX thirdparty_customers_store ON thirdparty_customers (merchant_id, store_id, id);
CREATE INDEX thirdparty_customers_agent ON thirdparty_customers (merchant_id, agent_id) WHERE agent_id IS NOT NULL;

-- Sales orders. amount and cashback are hundredths; wallet_id is the wallet
-- the order earned cashback in (NULL when it earned none).
CREATE TABLE thirdparty_orders (
    merchant_id bigint NOT NULL REFERENCES merchants (id),
    id          bigint GENERATED ALWAYS AS IDENTITY,
    store_id    bigint NOT NULL,
    customer_id bigint NOT NULL,
    agent_id    bigint,
    code        text NOT NULL DEFAULT thirdparty_code('pgbord'),
    amount      bigint NOT NULL CHECK (amount > 0),
    description text NOT NULL DEFAULT '',
    wallet_id   bigint,
    cashback    bigint NOT NULL DEFAULT 0 CHECK (cashback >= 0),
    created_at  timestamptz NOT NULL,
    PRIMARY KEY (merchant_id, id),
    UNIQUE (merchant_id, code),
    FOREIGN KEY (merchant_id, store_id) REFERENCES stores (merchant_id, id),
    FOREIGN KEY (merchant_id, customer_id) REFERENCES thirdparty_customers (merchant_id, id),
    FOREIGN KEY (merchant_id, agent_id) REFERENCES thirdparty_agents (merchant_id, id),
    FOREIGN KEY (merchant_id, wallet_id) REFERENCES wallets (merchant_id, id)
);
CREATE INDEX thirdparty_orders_customer ON thirdparty_orders (merchant_id, customer_id);
CREATE INDEX thirdparty_orders_agent ON thirdparty_orders (merchant_id, agent_id) WHERE agent_id IS NOT NULL;
