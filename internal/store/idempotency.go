package store

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"
)

// IdemTTL is how long the first answer for an Idempotency-Key is replayed.
const IdemTTL = 24 * time.Hour

// IdemInFlightTimeout is how long a key whose first request neither
// finished nor committed a write blocks retries when its owner cannot be
// shown dead (idempotency_owner.go); after it, a retry runs the request
// again. It is longer than the server's write timeout. A request taken over
// while still running cannot commit any more (idemCommitSQL), so a takeover
// never posts twice.
const IdemInFlightTimeout = 2 * time.Minute

// IdemRecord is what is stored for one (merchant, Idempotency-Key).
type IdemRecord struct {
	Method, Path string
	// Fingerprint is the SHA-256 of the request (method, path, body).
	Fingerprint []byte
	// Done is false while the first request is still running, or when it
	// died before its answer was stored.
	Done bool
	// ID names this reservation (a new one on every takeover); Owner is the
	// instance id of the process that made it (0: unknown).
	ID, Owner int64
	// Committed: the first request committed a write, so it never runs
	// again under this key, even when its answer was never stored.
	Committed bool
	// Status, Header and Body are the stored answer, once Done.
	Status    int
	Header    map[string][]string
	Body      []byte
	CreatedAt time.Time
}

// ReserveIdemKey claims (merchantID, key) for a request about to run and
// returns reserved = true, or returns the record already there and false.
// A record older than IdemTTL is taken over as if absent; so is one that is
// neither answered nor committed when its owner process is dead (its
// instance lock is free) or, as a fallback, after IdemInFlightTimeout.
// A committed record without an answer is never taken over before IdemTTL.
// Each takeover is one conditional statement on the row, so of concurrent
// reservations of one key exactly one wins.
func (s *Store) ReserveIdemKey(ctx context.Context, merchantID int64, key, method, path string, fingerprint []byte) (IdemRecord, bool, error) {
	now := s.clock.Now()
	owner := s.instance.owner(ctx)
	var dead *int64 // an owner found dead: its reservation may be taken over
	for attempt := 0; attempt < 3; attempt++ {
		var id int64
		err := s.pool.QueryRow(ctx, `
            INSERT INTO idempotency_keys AS k (merchant_id, key, method, path, fingerprint, created_at, owner)
            VALUES ($1, $2, $3, $4, $5, $6, nullif($9::bigint, 0))
            ON CONFLICT (merchant_id, key) DO UPDATE
                SET id = DEFAULT, method = EXCLUDED.method, path = EXCLUDED.path, fingerprint = EXCLUDED.fingerprint,
                    status = NULL, headers = NULL, body = NULL, created_at = EXCLUDED.created_at,
                    owner = EXCLUDED.owner, committed = false
                WHERE k.created_at <= $7
                   OR (k.status IS NULL AND NOT k.committed AND (k.created_at <= $8 OR k.owner = $10))
            RETURNING k.id`,
			merchantID, key, method, path, fingerprint, now, now.Add(-IdemTTL), now.Add(-IdemInFlightTimeout),
			owner, dead).Scan(&id)
		if err == nil {
			return IdemRecord{ID: id, Owner: owner, Method: method, Path: path, Fingerprint: fingerprint, CreatedAt: now}, true, nil
		}
		if !errors.Is(err, pgx.ErrNoRows) {
			return IdemRecord{}, false, interpretError(err)
		}
		rec, err := s.idemRecord(ctx, merchantID, key)
		if errors.Is(err, ErrNotFound) {
			continue // released between the two statements: claim it again
		}
		if err != nil || rec.Done || rec.Committed || rec.Owner == 0 || dead != nil {
			return rec, false, err
		}
		alive, err := s.ownerAlive(ctx, rec.Owner)
		if err != nil || alive {
			return rec, false, err
		}
		dead = &rec.Owner
	}
	return IdemRecord{}, false, errors.New("store: idempotency key neither reserved nor found")
}

func (s *Store) idemRecord(ctx context.Context, merchantID int64, key string) (IdemRecord, error) {
	var r IdemRecord
	var status *int
	var owner *int64
	err := s.pool.QueryRow(ctx, `SELECT id, owner, committed, method, path, fingerprint, status, coalesce(headers, '{}'), body, created_at
        FROM idempotency_keys WHERE merchant_id = $1 AND key = $2`, merchantID, key).
		Scan(&r.ID, &owner, &r.Committed, &r.Method, &r.Path, &r.Fingerprint, &status, &r.Header, &r.Body, &r.CreatedAt)
	if err != nil {
		return IdemRecord{}, interpretError(err)
	}
	if status != nil {
		r.Done, r.Status = true, *status
	}
	if owner != nil {
		r.Owner = *owner
	}
	return r, nil
}

// CompleteIdemKey stores the answer of the request that reserved the key
// (reserved is the record ReserveIdemKey returned). ErrNotFound if that
// reservation is gone (taken over): the answer is then not stored.
func (s *Store) CompleteIdemKey(ctx context.Context, merchantID int64, key string, reserved IdemRecord, status int, header map[string][]string, body []byte) error {
	tag, err := s.pool.Exec(ctx, `UPDATE idempotency_keys SET status = $4, headers = $5, body = $6
        WHERE merchant_id = $1 AND key = $2 AND id = $3 AND status IS NULL`,
		merchantID, key, reserved.ID, status, header, body)
	if err == nil && tag.RowsAffected() == 0 {
		return ErrNotFound
	}
	return interpretError(err)
}

// ReleaseIdemKey forgets an unfinished reservation, so that a retry runs the
// request again: used when the request failed in a way a retry may fix
// (a server error, a rate limit). A reservation whose request committed a
// write is kept: running the request again could post twice, so retries
// get the in-flight answer until IdemTTL.
func (s *Store) ReleaseIdemKey(ctx context.Context, merchantID int64, key string, reserved IdemRecord) error {
	_, err := s.pool.Exec(ctx, `DELETE FROM idempotency_keys
        WHERE merchant_id = $1 AND key = $2 AND id = $3 AND status IS NULL AND NOT committed`, merchantID, key, reserved.ID)
	return interpretError(err)
}

// PurgeIdemKeys deletes stored answers older than IdemTTL and returns how
// many; the background worker calls it.
func (s *Store) PurgeIdemKeys(ctx context.Context) (int64, error) {
	tag, err := s.pool.Exec(ctx, `DELETE FROM idempotency_keys WHERE created_at <= $1`, s.clock.Now().Add(-IdemTTL))
	return tag.RowsAffected(), interpretError(err)
}
