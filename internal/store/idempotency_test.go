package store_test

import (
	"context"
	"errors"
	"math/rand/v2"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/puntos/puntos/internal/ledger"
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

// takenOverReservation reserves key and then gives the reservation another
// id, as a takeover does: a request still holding the first id has lost it.
func takenOverReservation(t *testing.T, s *store.Store, merchant int64, key string) store.IdemRecord {
	t.Helper()
	rec, _ := reserveIdem(t, s, merchant, key)
	if _, err := s.Pool().Exec(t.Context(), `UPDATE idempotency_keys SET id = DEFAULT WHERE id = $1`, rec.ID); err != nil {
		t.Fatal(err)
	}
	return rec
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

func TestIdemLostInstanceLockTakesNewID(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	m := newMerchant(t, s, "Tienda")
	first, _ := reserveIdem(t, s, m.ID, "a")
	// The lock's session ends (as when Postgres restarts): the request that
	// held "a" failed and could not release it.
	if _, err := s.Pool().Exec(t.Context(), `SELECT pg_terminate_backend(pid) FROM pg_locks
        WHERE locktype = 'advisory' AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`); err != nil {
		t.Fatal(err)
	}
	time.Sleep(1100 * time.Millisecond) // store.ownerCheckEvery: the loss is noticed by the next reservation after it
	next, _ := reserveIdem(t, s, m.ID, "b")
	if next.Owner == 0 || next.Owner == first.Owner {
		t.Fatalf("owner %d after the lock was lost, want a new instance id (was %d)", next.Owner, first.Owner)
	}
	if _, ok := reserveIdem(t, s, m.ID, "a"); !ok {
		t.Fatal("the reservation made under the lost id was not taken over at once")
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

func TestIdemReservationCommittedByItsTransaction(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	m := newMerchant(t, s, "Tienda")
	rec, _ := reserveIdem(t, s, m.ID, "k")
	ctx := store.WithIdemReservation(t.Context(), rec.ID)
	if err := s.ExecInTx(ctx, "SELECT 1"); err != nil {
		t.Fatal(err)
	}
	if idemCommitted(t, s, m.ID, "k") {
		t.Fatal("a transaction that wrote nothing marked the reservation")
	}
	if err := s.ExecInTx(ctx, "UPDATE merchants SET name = 'Uno' WHERE id = "+strconv.FormatInt(m.ID, 10)); err != nil {
		t.Fatal(err)
	}
	if !idemCommitted(t, s, m.ID, "k") {
		t.Fatal("the request's write did not mark its reservation committed")
	}
	// A request whose reservation was taken over commits nothing.
	lost := takenOverReservation(t, s, m.ID, "lost")
	err := s.ExecInTx(store.WithIdemReservation(t.Context(), lost.ID), "UPDATE merchants SET name = 'Dos' WHERE id = "+strconv.FormatInt(m.ID, 10))
	if !errors.Is(err, store.ErrIdemTakenOver) {
		t.Fatalf("got %v, want ErrIdemTakenOver", err)
	}
	if got, _ := s.Merchant(t.Context(), m.ID); got.Name != "Uno" {
		t.Fatalf("name %q: the taken-over request's write was committed", got.Name)
	}
}

// TestIdemAPITransactionCommitsInItsLastBatch: a JSON API transaction
// sends its commit with its last statements (sendLast), the reservation's
// mark included: it spends its own reservation, and one taken over commits
// nothing of it.
func TestIdemAPITransactionCommitsInItsLastBatch(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	m := newMerchant(t, s, "Tienda")
	post := func(ctx context.Context, customer string) error {
		_, err := s.PostAPITransaction(ctx, m.ID, store.APITransaction{Type: "POINTS ORDER", Total: 10_00,
			Customer: store.CustomerRef{ExternalID: customer}})
		return err
	}
	rec, _ := reserveIdem(t, s, m.ID, "k")
	if err := post(store.WithIdemReservation(t.Context(), rec.ID), "c-1"); err != nil {
		t.Fatal(err)
	}
	if !idemCommitted(t, s, m.ID, "k") {
		t.Fatal("the transaction did not mark its reservation committed")
	}
	lost := takenOverReservation(t, s, m.ID, "lost")
	if err := post(store.WithIdemReservation(t.Context(), lost.ID), "c-2"); !errors.Is(err, store.ErrIdemTakenOver) {
		t.Fatalf("got %v, want ErrIdemTakenOver", err)
	}
	var customers, txs int
	if err := s.Pool().QueryRow(t.Context(), `SELECT (SELECT count(*) FROM customers WHERE merchant_id = $1),
		(SELECT count(*) FROM ledger_transactions WHERE merchant_id = $1)`, m.ID).Scan(&customers, &txs); err != nil {
		t.Fatal(err)
	}
	if customers != 1 || txs != 1 {
		t.Fatalf("%d customers and %d transactions, want only the first request's", customers, txs)
	}
}

// TestIdemCardBatchMarksTheStampsItWrites: a card batch spends the
// Idempotency-Key reservations of the stamps it writes, in its own commit,
// and of no other.
func TestIdemCardBatchMarksTheStampsItWrites(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	sh := newCardShop(t, s, "Tienda", 2, store.CardInput{})
	stamp := func(phone, ticket string) store.SaleInput {
		return store.SaleInput{Key: sh.key, Phone: phone, CollaboratorID: sh.cashier, Ticket: ticket, Amount: 10_00, AmountGiven: true}
	}
	if _, err := s.CardSale(t.Context(), sh.m, stamp(sh.phones[0], "T1")); err != nil {
		t.Fatal(err)
	}
	ins := []store.SaleInput{stamp(sh.phones[0], ""), stamp("4779999999", ""), stamp(sh.phones[0], "T1"), stamp(sh.phones[1], "")}
	keys := []string{"a", "b", "c", "d"} // written, refused (not in the agenda), replayed ticket, written
	ctxs := make([]context.Context, len(ins))
	for i, k := range keys {
		rec, _ := reserveIdem(t, s, sh.m.ID, k)
		ctxs[i] = store.WithIdemReservation(t.Context(), rec.ID)
	}
	_, errs := s.CardSalesInOneBatchCtx(ctxs, sh.m, ins)
	wantErr := []error{nil, store.ErrContactNotFound, nil, nil}
	for i, k := range keys {
		if !errors.Is(errs[i], wantErr[i]) {
			t.Fatalf("stamp %s: got %v, want %v", k, errs[i], wantErr[i])
		}
		if got, want := idemCommitted(t, s, sh.m.ID, k), i == 0 || i == 3; got != want {
			t.Errorf("stamp %s: committed %v, want %v", k, got, want)
		}
	}
}

func TestIdemWalletBatchMarksTheSalesItWrites(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	sh := newWalletShop(t, s, "Tienda", 2, store.WalletInput{})
	if _, err := s.WalletSale(t.Context(), sh.m, sh.sale(sh.phones[0], false, 10_00, "T1")); err != nil {
		t.Fatal(err)
	}
	ins := []store.SaleInput{
		sh.sale(sh.phones[0], false, 10_00, ""),   // written
		sh.sale("4779999999", false, 10_00, ""),   // refused: not enrolled
		sh.sale(sh.phones[0], false, 10_00, "T1"), // replayed ticket
		sh.sale(sh.phones[1], true, 5_00, ""),     // written
		sh.sale(sh.phones[1], true, 1_000_00, ""), // refused: insufficient points
	}
	keys := []string{"a", "b", "c", "d", "e"}
	ctxs := make([]context.Context, len(ins))
	for i, k := range keys {
		rec, _ := reserveIdem(t, s, sh.m.ID, k)
		ctxs[i] = store.WithIdemReservation(t.Context(), rec.ID)
	}
	before := s.WalletBatchStats()
	_, errs := s.WalletSalesInOneBatchCtx(ctxs, sh.m, ins)
	wantErr := []error{nil, store.ErrNotEnrolled, nil, nil, store.ErrInsufficientPoints}
	for i, k := range keys {
		if !errors.Is(errs[i], wantErr[i]) {
			t.Fatalf("sale %s: got %v, want %v", k, errs[i], wantErr[i])
		}
		if got, want := idemCommitted(t, s, sh.m.ID, k), i == 0 || i == 3; got != want {
			t.Errorf("sale %s: committed %v, want %v", k, got, want)
		}
	}
	if after := s.WalletBatchStats(); after.Written != before.Written+2 || after.Alone != before.Alone {
		t.Fatalf("batch stats %+v then %+v, want both sales written by the batch", before, after)
	}

	// A sale whose reservation was taken over fails the batch; every sale
	// then runs alone, and that one alone commits nothing.
	lost := takenOverReservation(t, s, sh.m.ID, "lost")
	kept, _ := reserveIdem(t, s, sh.m.ID, "kept")
	balance := func() ledger.Amount { // every member's points, together
		var b ledger.Amount
		if err := s.Pool().QueryRow(t.Context(), `SELECT coalesce(sum(balance), 0) FROM ledger_accounts
            WHERE merchant_id = $1 AND owner_kind = 'wallet_member'`, sh.m.ID).Scan(&b); err != nil {
			t.Fatal(err)
		}
		return b
	}
	b0 := balance()
	_, errs = s.WalletSalesInOneBatchCtx([]context.Context{
		store.WithIdemReservation(t.Context(), lost.ID), store.WithIdemReservation(t.Context(), kept.ID),
	}, sh.m, []store.SaleInput{sh.sale(sh.phones[1], true, 1_00, ""), sh.sale(sh.phones[1], true, 2_00, "")})
	if !errors.Is(errs[0], store.ErrIdemTakenOver) || errs[1] != nil {
		t.Fatalf("got %v, want ErrIdemTakenOver then success", errs)
	}
	if b1 := balance(); b1 != b0-2_00 || !idemCommitted(t, s, sh.m.ID, "kept") {
		t.Fatalf("balance %v then %v: want only the kept sale's 2.00 spent, and its key committed", b0, b1)
	}
}
