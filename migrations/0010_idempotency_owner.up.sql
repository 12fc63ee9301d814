-- Idempotency-Key reservations that survive a crash without running twice.
--
-- id names one reservation: a fresh value on every insert and every
-- takeover, so a request whose reservation was taken over can no longer
-- complete, release or commit under it.
-- owner is the instance id of the server process that reserved the key; the
-- process holds pg_advisory_lock(owner) on a connection of its own while it
-- lives, so a free lock means a dead owner whose reservation may be taken
-- over at once. NULL: no owner known (rows from before this migration, or a
-- server that could not take its lock): only IdemInFlightTimeout frees them.
-- committed is set inside the request's own business transaction: a key
-- whose request committed a write is never run again, answer stored or not.
ALTER TABLE idempotency_keys
    ADD COLUMN id bigint GENERATED ALWAYS AS IDENTITY,
    ADD COLUMN owner bigint,
    ADD COLUMN committed boolean NOT NULL DEFAULT false;
CREATE UNIQUE INDEX idempotency_keys_id ON idempotency_keys (id);
