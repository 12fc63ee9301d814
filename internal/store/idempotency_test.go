package store_test

import (
	"context"
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"github.com/puntos/puntos/internal/store"
)

// reserveIdem reserves key for merchant as a POST /x with body fp.
func reserveIdem(t *testing.T, s *store.Store, merchant int64, key string) (store.IdemRecord, bool) {
	t.Helper()
	rec, ok, err := s.ReserveIdemKey(context.Background(), merchant, key, "POST", "/x", []byte("fp"))
	if err != nil {
		t.Fatal(err)
	}
	return rec, ok
}

// leaveReservation writes the row a server that died mid-request leaves:
// unanswered, owned by owner (0: none), committed or not, made at createdAt.
func leaveReservation(t *testing.T, s *store.Store, merchant int64, key string, owner int64, committed bool, createdAt time.Time) {
	t.Helper()
	if _, err := s.Pool().Exec(t.Context(), `INSERT INTO idempotency_keys
        (merchant_id, key, method, path, fingerprint, created_at, owner, committed)
        VALUES ($1, $2, 'POST', '/x', 'fp', $3, nullif($4::bigint, 0), $5)`, merchant, key, createdAt, owner, committed); err != nil {
		t.Fatal(err)
	}
}

// deadOwner is an instance id whose lock nobody holds: a dead server.
func deadOwner() int64 { return rand.Int64() | 1 }

// liveOwner holds the instance lock of a fresh id for the test's duration,
// as another live server would.
func liveOwner(t *testing.T, s *store.Store) int64 {
	t.Helper()
	conn, err := s.Pool().Acquire(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	id := deadOwner()
	if _, err := conn.Exec(t.Context(), "SELECT pg_advisory_lock($1)", id); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_, _ = conn.Exec(context.Background(), "SELECT pg_advisory_unlock($1)", id)
		conn.Release()
	})
	return id
}

func idemCommitted(t *testing.T, s *store.Store, merchant int64, key string) bool {
	t.Helper()
	var c bool
	if err := s.Pool().QueryRow(t.Context(), `SELECT committed FROM idempotency_keys WHERE merchant_id = $1 AND key = $2`,
		merchant, key).Scan(&c); err != nil {
		t.Fatal(err)
	}
	return c
}

func TestIdemReservationOfDeadOwnerTakenOverAtOnce(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	m := newMerchant(t, s, "Tienda")
	dead := deadOwner()
	leaveReservation(t, s, m.ID, "k", dead, false, s.Now())
	rec, ok := reserveIdem(t, s, m.ID, "k")
	if !ok || rec.Owner == 0 || rec.Owner == dead {
		t.Fatalf("got reserved=%v owner %d, want the key taken over by this process", ok, rec.Owner)
	}
	// Its new owner is alive: the next request waits (409).
	if again, ok := reserveIdem(t, s, m.ID, "k"); ok || again.Done || again.ID != rec.ID {
		t.Fatalf("after the takeover: got reserved=%v %+v, want the live reservation", ok, again)
	}
	// Concurrent retries of one dead reservation: exactly one takes it over.
	leaveReservation(t, s, m.ID, "k2", dead, false, s.Now())
	var wg sync.WaitGroup
	var mu sync.Mutex
	won := 0
	for range 8 {
		wg.Go(func() {
			if _, ok := reserveIdem(t, s, m.ID, "k2"); ok {
				mu.Lock()
				won++
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if won != 1 {
		t.Fatalf("%d concurrent takeovers won, want 1", won)
	}
}

func TestIdemReservationOfLiveOwnerKept(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	m := newMerchant(t, s, "Tienda")
	leaveReservation(t, s, m.ID, "k", liveOwner(t, s), false, s.Now())
	if rec, ok := reserveIdem(t, s, m.ID, "k"); ok || rec.Done || rec.Committed {
		t.Fatalf("got reserved=%v %+v, want the live owner's reservation kept", ok, rec)
	}
	// Without an owner, only the timeout frees it.
	leaveReservation(t, s, m.ID, "old", 0, false, s.Now().Add(-store.IdemInFlightTimeout/2))
	if _, ok := reserveIdem(t, s, m.ID, "old"); ok {
		t.Fatal("an ownerless reservation was taken over before the timeout")
	}
	leaveReservation(t, s, m.ID, "older", 0, false, s.Now().Add(-store.IdemInFlightTimeout-time.Second))
	if _, ok := reserveIdem(t, s, m.ID, "older"); !ok {
		t.Fatal("an ownerless reservation was not taken over after the timeout")
	}
}

func TestIdemCommittedReservationNeverRunsAgain(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	m := newMerchant(t, s, "Tienda")
	// Committed, answer never stored, owner dead, past the in-flight timeout.
	leaveReservation(t, s, m.ID, "k", deadOwner(), true, s.Now().Add(-store.IdemInFlightTimeout-time.Minute))
	rec, ok := reserveIdem(t, s, m.ID, "k")
	if ok || rec.Done || !rec.Committed {
		t.Fatalf("got reserved=%v %+v, want the committed reservation kept", ok, rec)
	}
	if err := s.ReleaseIdemKey(t.Context(), m.ID, "k", rec); err != nil {
		t.Fatal(err)
	}
	if _, ok := reserveIdem(t, s, m.ID, "k"); ok {
		t.Fatal("a committed reservation was released")
	}
	// Once IdemTTL has passed the key is forgotten like any other.
	leaveReservation(t, s, m.ID, "expired", deadOwner(), true, s.Now().Add(-store.IdemTTL))
	if _, ok := reserveIdem(t, s, m.ID, "expired"); !ok {
		t.Fatal("a committed reservation outlived IdemTTL")
	}
}
