package store

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"
)

// IdemTTL is how long the first answer for an Idempotency-Key is replayed.
const IdemTTL = 24 * time.Hour

// IdemInFlightTimeout is how long a key whose first request never finished
// (its server died) blocks retries; after it, a retry runs the request again.
// It is longer than the server's write timeout, so a live request is never
// taken over.
const IdemInFlightTimeout = 2 * time.Minute

// IdemRecord is what is stored for one (merchant, Idempotency-Key).
type IdemRecord struct {
	Method, Path string
	// Fingerprint is the SHA-256 of the request (method, path, body).
	Fingerprint []byte
	// Done is false while the first request is still running.
	Done bool
	// Status, Header and Body are the stored answer, once Done.
	Status    int
	Header    map[string][]string
	Body      []byte
	CreatedAt time.Time
}

// ReserveIdemKey claims (merchantID, key) for a request about to run and
// returns reserved = true, or returns the record already there and false.
// A record older than IdemTTL, or still unfinished after
// IdemInFlightTimeout, is taken over as if absent. One statement; concurrent
// reservations of one key serialise on its row, so exactly one wins.
func (s *Store) ReserveIdemKey(ctx context.Context, merchantID int64, key, method, path string, fingerprint []byte) (IdemRecord, bool, error) {
	now := s.clock.Now()
	for attempt := 0; attempt < 3; attempt++ {
		var reserved bool
		err := s.pool.QueryRow(ctx, `
            INSERT INTO idempotency_keys AS k (merchant_id, key, method, path, fingerprint, created_at)
            VALUES ($1, $2, $3, $4, $5, $6)
            ON CONFLICT (merchant_id, key) DO UPDATE
                SET method = EXCLUDED.method, path = EXCLUDED.path, fingerprint = EXCLUDED.fingerprint,
                    status = NULL, headers = NULL, body = NULL, created_at = EXCLUDED.created_at
                WHERE k.created_at <= $7 OR (k.status IS NULL AND k.created_at <= $8)
            RETURNING true`,
			merchantID, key, method, path, fingerprint, now, now.Add(-IdemTTL), now.Add(-IdemInFlightTimeout)).Scan(&reserved)
		if err == nil {
			return IdemRecord{Method: method, Path: path, Fingerprint: fingerprint, CreatedAt: now}, true, nil
		}
		if !errors.Is(err, pgx.ErrNoRows) {
			return IdemRecord{}, false, interpretError(err)
		}
		rec, err := s.idemRecord(ctx, merchantID, key)
		if !errors.Is(err, ErrNotFound) {
			return rec, false, err
		}
		// Released between the two statements: try to claim it again.
	}
	return IdemRecord{}, false, errors.New("store: idempotency key neither reserved nor found")
}

func (s *Store) idemRecord(ctx context.Context, merchantID int64, key string) (IdemRecord, error) {
	var r IdemRecord
	var status *int
	err := s.pool.QueryRow(ctx, `SELECT method, path, fingerprint, status, coalesce(headers, '{}'), body, created_at
        FROM idempotency_keys WHERE merchant_id = $1 AND key = $2`, merchantID, key).
		Scan(&r.Method, &r.Path, &r.Fingerprint, &status, &r.Header, &r.Body, &r.CreatedAt)
	if err != nil {
		return IdemRecord{}, interpretError(err)
	}
	if status != nil {
		r.Done, r.Status = true, *status
	}
	return r, nil
}

// CompleteIdemKey stores the answer of the request that reserved the key
// (reserved is the record ReserveIdemKey returned). ErrNotFound if that
// reservation is gone (taken over after IdemInFlightTimeout): the answer is
// then not stored.
func (s *Store) CompleteIdemKey(ctx context.Context, merchantID int64, key string, reserved IdemRecord, status int, header map[string][]string, body []byte) error {
	tag, err := s.pool.Exec(ctx, `UPDATE idempotency_keys SET status = $4, headers = $5, body = $6
        WHERE merchant_id = $1 AND key = $2 AND created_at = $3 AND status IS NULL`,
		merchantID, key, reserved.CreatedAt, status, header, body)
	if err == nil && tag.RowsAffected() == 0 {
		return ErrNotFound
	}
	return interpretError(err)
}

// ReleaseIdemKey forgets an unfinished reservation, so that a retry runs the
// request again: used when the request failed in a way a retry may fix
// (a server error, a rate limit).
func (s *Store) ReleaseIdemKey(ctx context.Context, merchantID int64, key string, reserved IdemRecord) error {
	_, err := s.pool.Exec(ctx, `DELETE FROM idempotency_keys
        WHERE merchant_id = $1 AND key = $2 AND created_at = $3 AND status IS NULL`, merchantID, key, reserved.CreatedAt)
	return interpretError(err)
}

// PurgeIdemKeys deletes stored answers older than IdemTTL and returns how
// many; the background worker calls it.
func (s *Store) PurgeIdemKeys(ctx context.Context) (int64, error) {
	tag, err := s.pool.Exec(ctx, `DELETE FROM idempotency_keys WHERE created_at <= $1`, s.clock.Now().Add(-IdemTTL))
	return tag.RowsAffected(), interpretError(err)
}
