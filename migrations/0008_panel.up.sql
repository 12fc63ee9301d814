-- The merchant panel (browser sessions for merchant users and cashiers) and
-- the server's own signing keys.

-- Panel users log in with an e-mail and a password. The e-mail alone finds
-- the user, so it is unique across merchants. Passwords are kept as bcrypt
-- hashes: unlike API keys they are low-entropy secrets a person chose.
CREATE TABLE panel_users (
    merchant_id   bigint NOT NULL REFERENCES merchants (id),
    id            bigint GENERATED ALWAYS AS IDENTITY,
    email         text NOT NULL CHECK (email <> '' AND length(email) <= 254),
    password_hash text NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (merchant_id, id)
);
CREATE UNIQUE INDEX panel_users_email ON panel_users (lower(email));

-- Browser sessions: a merchant user's panel session, or a collaborator's
-- session on the cashier page of one program. The cookie carries a random
-- 32-byte token; only its SHA-256 is stored. The CSRF token is per session.
CREATE TABLE panel_sessions (
    merchant_id     bigint NOT NULL REFERENCES merchants (id),
    id              bigint GENERATED ALWAYS AS IDENTITY,
    token_hash      bytea NOT NULL,
    user_id         bigint,
    collaborator_id bigint,
    program_key     text,
    csrf_token      text NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    expires_at      timestamptz NOT NULL,
    PRIMARY KEY (merchant_id, id),
    FOREIGN KEY (merchant_id, user_id) REFERENCES panel_users (merchant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (merchant_id, collaborator_id) REFERENCES collaborators (merchant_id, id),
    CHECK ((user_id IS NULL) <> (collaborator_id IS NULL)),
    CHECK ((collaborator_id IS NULL) = (program_key IS NULL))
);
CREATE UNIQUE INDEX panel_sessions_token ON panel_sessions (token_hash);
CREATE INDEX panel_sessions_expiry ON panel_sessions (expires_at);

-- Keys the server signs with (the customer page links). Generated here, in
-- the database, so every server sharing the database signs alike and no
-- extra configuration is needed; gen_random_uuid draws from the strong RNG.
CREATE TABLE server_keys (
    name   text PRIMARY KEY,
    secret bytea NOT NULL CHECK (length(secret) >= 32)
);
INSERT INTO server_keys (name, secret)
VALUES ('customer_link', decode(replace(gen_random_uuid()::text || gen_random_uuid()::text, '-', ''), 'hex'));

-- The customer and cashier pages receive a program key alone (/c/{key},
-- /r/{key}); these indexes find it without the merchant.
CREATE INDEX loyalty_cards_key ON loyalty_cards (key);
CREATE INDEX wallets_key ON wallets (key);

-- Failed logins (panel passwords, cashier PINs), counted per scope over a
-- short window so that guessing is throttled across every server; a PIN of
-- four digits would otherwise fall in minutes.
CREATE TABLE login_failures (
    scope text NOT NULL,
    at    timestamptz NOT NULL
);
CREATE INDEX login_failures_scope ON login_failures (scope, at);
