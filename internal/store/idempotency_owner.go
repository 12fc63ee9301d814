package store

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
)

// Every Idempotency-Key reservation names the server process that made it:
// a random instance id, on which the process holds a session advisory lock
// on a connection of its own for as long as it lives. Postgres frees the
// lock when that session ends, so a request that finds an unfinished,
// uncommitted reservation whose owner's lock is free knows nobody is running
// it and takes it over at once, instead of waiting IdemInFlightTimeout.
// Should the lock be lost while the process lives (the connection dropped),
// the process takes a new id, and a takeover of a request still running is
// harmless: that request can no longer commit (idemCommitSQL).

// ownerCheckEvery bounds how long a lost lock connection goes unnoticed
// before it is reconnected (at most one ping per period, by a reservation).
const ownerCheckEvery = time.Second

// instanceLock holds this process's instance lock, taken on first use.
type instanceLock struct {
	cfg     *pgx.ConnConfig
	mu      sync.Mutex
	id      int64
	conn    *pgx.Conn
	checked time.Time
	closed  bool
}

func newInstanceLock(cfg *pgx.ConnConfig) *instanceLock {
	return &instanceLock{cfg: cfg, id: randomInstanceID()}
}

// owner returns the instance id while its lock is held, taking it first if
// needed, or 0 when it cannot be held (the reservation then has no owner and
// only IdemInFlightTimeout frees it).
func (l *instanceLock) owner(ctx context.Context) int64 {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.closed {
		return 0
	}
	// The lock's connection outlives requests: a cancelled request must not
	// cut it.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	if l.conn != nil {
		if time.Since(l.checked) < ownerCheckEvery {
			return l.id
		}
		if l.conn.Ping(ctx) == nil {
			l.checked = time.Now()
			return l.id
		}
		// The lock was lost (Postgres restarted, the connection dropped):
		// reservations made under this id may have been taken over, and
		// those of requests that failed meanwhile could not be released.
		// A new id makes them all look dead, so their retries run at once
		// (those that committed are still refused).
		_ = l.conn.Close(ctx)
		l.conn = nil
		l.id = randomInstanceID()
	}
	conn, err := pgx.ConnectConfig(ctx, l.cfg)
	if err != nil {
		return 0
	}
	for range 3 {
		var got bool
		if err := conn.QueryRow(ctx, "SELECT pg_try_advisory_lock($1)", l.id).Scan(&got); err != nil {
			break
		}
		if got {
			l.conn, l.checked = conn, time.Now()
			return l.id
		}
		// Still held by our previous session, not yet gone: reservations
		// made under it look alive until it is. Take a new id.
		l.id = randomInstanceID()
	}
	_ = conn.Close(ctx)
	return 0
}

// close ends the lock's session: this process's reservations look dead from
// then on, so only call it once no request runs (Store.Close).
func (l *instanceLock) close() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.closed = true
	if l.conn != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		// The lock was lost (Postgres restarted, the connection dropped):
		// reservations made under this id may have been taken over, and
		// those of requests that failed meanwhile could not be released.
		// A new id makes them all look dead, so their retries run at once
		// (those that committed are still refused).
		_ = l.conn.Close(ctx)
		l.conn = nil
		l.id = randomInstanceID()
	}
}

// ownerAlive reports whether the process that owns instance id still holds
// its lock. Taking the lock succeeds only when nobody holds it; it is then
// given back in the same statement.
func (s *Store) ownerAlive(ctx context.Context, id int64) (bool, error) {
	var dead bool
	err := s.pool.QueryRow(ctx,
		`SELECT CASE WHEN pg_try_advisory_lock($1) THEN pg_advisory_unlock($1) ELSE false END`, id).Scan(&dead)
	return !dead, interpretError(err)
}

// randomInstanceID is a non-zero random int64 (0 means "no owner").
func randomInstanceID() int64 {
	for {
		var b [8]byte
		_, _ = rand.Read(b[:])
		if id := int64(binary.LittleEndian.Uint64(b[:])); id != 0 {
			return id
		}
	}
}
