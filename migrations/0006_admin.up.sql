-- The per-merchant key of the collaborators' PIN HMAC. The server fills it
-- with 32 bytes from crypto/rand when it creates a merchant (or, for rows made
-- before this column, the first time it needs it), so it is nullable here.
ALTER TABLE merchants ADD COLUMN pin_key bytea;
