-- The apikey POS API: the sales it recorded (ticket idempotency, stamps per
-- day), the merchant's lifetime operation counter, and the transactional
-- outbox of webhooks and messages with its delivery log.

-- operations_used counts "canjes" (card sales, wallet spends) against
-- operation_quota. It is only updated while a quota is set, so merchants
-- without a quota never serialise their sales on the merchant row.
ALTER TABLE merchants ADD COLUMN operations_used bigint NOT NULL DEFAULT 0 CHECK (operations_used >= 0);

-- One row per sale or balance update answered with a success code. The
-- first answer (outcome, new balance) is kept so that a retried ticket gets it
-- again. local_day is the merchant-time-zone day of the sale, for the
-- stamps-per-day rule.
CREATE TABLE pos_sales (
    merchant_id     bigint NOT NULL REFERENCES merchants (id),
    id              bigint GENERATED ALWAYS AS IDENTITY,
    program         text NOT NULL CHECK (program IN ('card', 'wallet')),
    program_id      bigint NOT NULL,
    member_id       bigint NOT NULL,
    contact_id      bigint NOT NULL,
    collaborator_id bigint NOT NULL,
    kind            text NOT NULL CHECK (kind IN ('stamp', 'earn', 'spend', 'add', 'remove')),
    ticket          text,
    amount          bigint,                 -- purchase amount in hundredths, when given
    points          bigint NOT NULL,        -- points or stamps moved, in hundredths
    outcome         text NOT NULL CHECK (outcome IN ('ok', 'completed')), -- completed: the sale filled the card
    new_balance     bigint NOT NULL,
    ledger_tx_id    bigint,                 -- NULL when nothing moved (a 0.00 cashback)
    local_day       date NOT NULL,
    created_at      timestamptz NOT NULL,
    PRIMARY KEY (merchant_id, id),
    FOREIGN KEY (merchant_id, contact_id) REFERENCES contacts (merchant_id, id),
    FOREIGN KEY (merchant_id, collaborator_id) REFERENCES collaborators (merchant_id, id)
);
CREATE UNIQUE INDEX pos_sales_ticket ON pos_sales (merchant_id, program, program_id, ticket) WHERE ticket IS NOT NULL;
CREATE INDEX pos_sales_member_day ON pos_sales (merchant_id, program, member_id, local_day);

-- The outbox: webhooks and customer messages written in the same
-- transaction as the change that caused them, delivered by a worker.
-- program/program_id name the card or wallet whose webhook secret signs a
-- webhook (read at delivery, so a rotated secret applies to pending events).
CREATE TABLE outbox (
    merchant_id     bigint NOT NULL REFERENCES merchants (id),
    id              bigint GENERATED ALWAYS AS IDENTITY,
    kind            text NOT NULL CHECK (kind IN ('webhook', 'message')),
    event           text NOT NULL,
    program         text NOT NULL CHECK (program IN ('card', 'wallet')),
    program_id      bigint NOT NULL,
    target          text NOT NULL,          -- webhook URL, or the phone a message goes to
    body            text NOT NULL,          -- the exact bytes sent (and signed)
    attempts        integer NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL,
    created_at      timestamptz NOT NULL,
    delivered_at    timestamptz,
    dead_at         timestamptz,            -- gave up after the retry window
    PRIMARY KEY (merchant_id, id)
);
CREATE INDEX outbox_due ON outbox (next_attempt_at) WHERE delivered_at IS NULL AND dead_at IS NULL;

-- Every delivery attempt, successful or not (admin: webhooks/deliveries).
CREATE TABLE outbox_attempts (
    merchant_id  bigint NOT NULL REFERENCES merchants (id),
    id           bigint GENERATED ALWAYS AS IDENTITY,
    outbox_id    bigint,                    -- NULL for an admin "test" call
    kind         text NOT NULL,
    event        text NOT NULL,
    target       text NOT NULL,
    attempt      integer NOT NULL,
    status       integer NOT NULL,          -- receiver's HTTP status, 0 when none came back
    error        text NOT NULL DEFAULT '',
    duration_ms  integer NOT NULL,
    attempted_at timestamptz NOT NULL,
    PRIMARY KEY (merchant_id, id)
);
CREATE INDEX outbox_attempts_recent ON outbox_attempts (merchant_id, attempted_at DESC);
