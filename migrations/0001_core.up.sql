-- Core tables: merchants, their credentials, programs, staff, contacts and stores.
-- Every table is keyed by merchant_id first so the schema can be distributed by
-- merchant later without rewriting keys.

CREATE TABLE merchants (
    id                         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name                       text NOT NULL CHECK (name <> ''),
    timezone                   text NOT NULL DEFAULT 'America/Mexico_City',
    contact_quota              bigint CHECK (contact_quota >= 0),      -- NULL = unlimited
    operation_quota            bigint CHECK (operation_quota >= 0),    -- NULL = unlimited
    message_credit             bigint CHECK (message_credit >= 0),     -- NULL = unlimited
    allowed_ladas              text[] NOT NULL DEFAULT '{}',           -- empty = every valid lada
    landline_prefixes          text[] NOT NULL DEFAULT '{}',
    allow_negative_on_reversal boolean NOT NULL DEFAULT false,
    messaging_channel          text NOT NULL DEFAULT 'log' CHECK (messaging_channel IN ('log', 'http', 'none')),
    messaging_url              text,
    created_at                 timestamptz NOT NULL DEFAULT now()
);

-- Secrets are stored as SHA-256 of high-entropy random tokens: a slow hash
-- buys nothing against 256-bit secrets and would cost every request.
CREATE TABLE api_keys (
    merchant_id bigint NOT NULL REFERENCES merchants (id),
    id          bigint GENERATED ALWAYS AS IDENTITY,
    key_hash    bytea NOT NULL,
    prefix      text NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    revoked_at  timestamptz,
    PRIMARY KEY (merchant_id, id)
);
CREATE UNIQUE INDEX api_keys_hash ON api_keys (key_hash);

CREATE TABLE oauth_clients (
    merchant_id bigint NOT NULL REFERENCES merchants (id),
    id          bigint GENERATED ALWAYS AS IDENTITY,   -- the numeric client_id
    name        text NOT NULL,
    secret_hash bytea NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    revoked_at  timestamptz,
    PRIMARY KEY (merchant_id, id)
);
CREATE UNIQUE INDEX oauth_clients_id ON oauth_clients (id);

CREATE TABLE thirdparty_tokens (
    merchant_id bigint NOT NULL REFERENCES merchants (id),
    id          bigint GENERATED ALWAYS AS IDENTITY,
    token_hash  bytea NOT NULL,
    prefix      text NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    revoked_at  timestamptz,
    PRIMARY KEY (merchant_id, id)
);
CREATE UNIQUE INDEX thirdparty_tokens_hash ON thirdparty_tokens (token_hash);

-- Stamp cards (seed 000). default_amount is in hundredths.
CREATE TABLE loyalty_cards (
    merchant_id        bigint NOT NULL REFERENCES merchants (id),
    id                 bigint GENERATED ALWAYS AS IDENTITY,
    key                text NOT NULL,
    name               text NOT NULL CHECK (name <> ''),
    stamps_required    integer NOT NULL DEFAULT 10 CHECK (stamps_required BETWEEN 1 AND 1000),
    ticket_required    boolean NOT NULL DEFAULT false,
    default_amount     bigint CHECK (default_amount > 0),
    birthdate_required boolean NOT NULL DEFAULT false,
    max_stamps_per_day integer NOT NULL DEFAULT 0 CHECK (max_stamps_per_day >= 0),
    webhook_url        text,
    webhook_secret     text NOT NULL,
    welcome_message    boolean NOT NULL DEFAULT false,
    stamp_message      boolean NOT NULL DEFAULT false,
    custom_js          text NOT NULL DEFAULT '',
    enabled            boolean NOT NULL DEFAULT true,
    created_at         timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (merchant_id, id),
    UNIQUE (merchant_id, key)
);

-- Cashback wallets (seed 001). cashback_percent is in hundredths of a percent (5.00% = 500).
CREATE TABLE wallets (
    merchant_id        bigint NOT NULL REFERENCES merchants (id),
    id                 bigint GENERATED ALWAYS AS IDENTITY,
    key                text NOT NULL,
    name               text NOT NULL CHECK (name <> ''),
    cashback_percent   bigint NOT NULL DEFAULT 0 CHECK (cashback_percent BETWEEN 0 AND 10000),
    ticket_required    boolean NOT NULL DEFAULT false,
    birthdate_required boolean NOT NULL DEFAULT false,
    points_ttl_days    integer NOT NULL DEFAULT 0 CHECK (points_ttl_days >= 0),
    webhook_url        text,
    webhook_secret     text NOT NULL,
    welcome_message    boolean NOT NULL DEFAULT false,
    sale_message       boolean NOT NULL DEFAULT false,
    enabled            boolean NOT NULL DEFAULT true,
    created_at         timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (merchant_id, id),
    UNIQUE (merchant_id, key)
);

-- Collaborators (cashiers and managers). The PIN is kept twice, never in
-- clear: a bcrypt hash to verify it and a keyed HMAC to keep it unique.
-- card_scope / wallet_scope: NULL = every program of that kind.
CREATE TABLE collaborators (
    merchant_id  bigint NOT NULL REFERENCES merchants (id),
    id           bigint GENERATED ALWAYS AS IDENTITY,
    name         text NOT NULL,
    number       text NOT NULL,
    branch       text NOT NULL,
    type         text NOT NULL CHECK (type IN ('cajero', 'gerente')),
    status       text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'archived')),
    pin_hash     text NOT NULL,
    pin_hmac     bytea NOT NULL,
    card_scope   bigint[],
    wallet_scope bigint[],
    created_at   timestamptz NOT NULL DEFAULT now(),
    archived_at  timestamptz,
    PRIMARY KEY (merchant_id, id)
);
CREATE UNIQUE INDEX collaborators_active_name ON collaborators (merchant_id, lower(name)) WHERE status = 'active';
CREATE UNIQUE INDEX collaborators_active_pin ON collaborators (merchant_id, pin_hmac) WHERE status = 'active';

CREATE TABLE blacklist (
    merchant_id bigint NOT NULL REFERENCES merchants (id),
    phone       text NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (merchant_id, phone)
);

-- The agenda: one contact per phone per merchant, shared by all its programs.
CREATE TABLE contacts (
    merchant_id    bigint NOT NULL REFERENCES merchants (id),
    id             bigint GENERATED ALWAYS AS IDENTITY,
    phone          text NOT NULL,
    name           text NOT NULL,
    email          text NOT NULL DEFAULT '',
    birthdate      date,
    city           text NOT NULL DEFAULT '',
    state          text NOT NULL DEFAULT '',
    cp             text NOT NULL DEFAULT '',
    custom_field_1 text NOT NULL DEFAULT '',
    custom_field_2 text NOT NULL DEFAULT '',
    disabled       boolean NOT NULL DEFAULT false,
    created_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (merchant_id, id),
    UNIQUE (merchant_id, phone)
);

CREATE TABLE card_members (
    merchant_id    bigint NOT NULL,
    id             bigint GENERATED ALWAYS AS IDENTITY,
    card_id        bigint NOT NULL,
    contact_id     bigint NOT NULL,
    completions    integer NOT NULL DEFAULT 0,
    collaborator_id bigint,
    created_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (merchant_id, id),
    UNIQUE (merchant_id, card_id, contact_id),
    FOREIGN KEY (merchant_id, card_id) REFERENCES loyalty_cards (merchant_id, id),
    FOREIGN KEY (merchant_id, contact_id) REFERENCES contacts (merchant_id, id)
);

CREATE TABLE wallet_members (
    merchant_id    bigint NOT NULL,
    id             bigint GENERATED ALWAYS AS IDENTITY,
    wallet_id      bigint NOT NULL,
    contact_id     bigint NOT NULL,
    collaborator_id bigint,
    created_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (merchant_id, id),
    UNIQUE (merchant_id, wallet_id, contact_id),
    FOREIGN KEY (merchant_id, wallet_id) REFERENCES wallets (merchant_id, id),
    FOREIGN KEY (merchant_id, contact_id) REFERENCES contacts (merchant_id, id)
);

-- Stores (branches): the JSON API's store objects and the third-party API's
-- shops are the same rows. A shop may be linked to a wallet for cashback.
CREATE TABLE stores (
    merchant_id bigint NOT NULL REFERENCES merchants (id),
    id          bigint GENERATED ALWAYS AS IDENTITY,
    external_id text,
    code        text,
    name        text NOT NULL,
    description text NOT NULL DEFAULT '',
    website     text NOT NULL DEFAULT '',
    address     text NOT NULL DEFAULT '',
    phone       text NOT NULL DEFAULT '',
    email       text NOT NULL DEFAULT '',
    wallet_id   bigint,
    created_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (merchant_id, id),
    FOREIGN KEY (merchant_id, wallet_id) REFERENCES wallets (merchant_id, id)
);
CREATE UNIQUE INDEX stores_external_id ON stores (merchant_id, external_id) WHERE external_id IS NOT NULL;
CREATE UNIQUE INDEX stores_code ON stores (merchant_id, code) WHERE code IS NOT NULL;

-- JSON-API customers, identified by the merchant's externalId.
CREATE TABLE customers (
    merchant_id      bigint NOT NULL REFERENCES merchants (id),
    id               bigint GENERATED ALWAYS AS IDENTITY,
    external_id      text NOT NULL,
    name             text NOT NULL,
    data             jsonb,
    created_store_id bigint,        -- the store of the POS write that created it (pre-registration)
    platform         text,          -- set when the customer registers (web|mobile|ios|android)
    referrer_id      bigint,
    registered_at    timestamptz,
    created_at       timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (merchant_id, id),
    UNIQUE (merchant_id, external_id)
);
