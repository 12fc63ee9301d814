package store_test

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/puntos/puntos/internal/store"
	"github.com/puntos/puntos/internal/testdb"
)

// groupFixture is a store on a fresh database with a scratch table whose
// rows record the top-level transaction that wrote them.
func groupFixture(t *testing.T, ddl string) *store.Store {
	t.Helper()
	pool := testdb.Pool(t)
	if _, err := pool.Exec(context.Background(), ddl); err != nil {
		t.Fatal(err)
	}
	return store.New(pool, nil)
}

const groupTable = `CREATE TABLE gc_rows (id int PRIMARY KEY, xid bigint NOT NULL DEFAULT txid_current())`

func insertRow(ctx context.Context, id int) func(pgx.Tx) error {
	return func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, "INSERT INTO gc_rows (id) VALUES ($1)", id)
		return err
	}
}

// queueBehindBlocker makes the lane of key busy with a job that waits, queues
// jobs behind it, and releases it once all of them are queued, so the queued
// jobs are certain to be drained as one batch. It returns each job's error.
func queueBehindBlocker(t *testing.T, s *store.Store, key string, jobs []func(pgx.Tx) error) []error {
	t.Helper()
	ctx := context.Background()
	running, release := make(chan struct{}), make(chan struct{})
	blockerDone := make(chan error, 1)
	go func() {
		blockerDone <- s.InGroupTx(ctx, key, func(tx pgx.Tx) error {
			close(running)
			<-release
			return nil
		})
	}()
	<-running
	errs := make([]error, len(jobs))
	var wg sync.WaitGroup
	for i, fn := range jobs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = s.InGroupTx(ctx, key, fn)
		}()
	}
	for s.QueuedInLane(key) != len(jobs) {
		runtime.Gosched()
	}
	close(release)
	if err := <-blockerDone; err != nil {
		t.Fatalf("blocking job: %v", err)
	}
	wg.Wait()
	return errs
}

func rowsByXID(t *testing.T, s *store.Store) (ids map[int]bool, xids map[int64]bool) {
	t.Helper()
	rows, err := s.Pool().Query(context.Background(), "SELECT id, xid FROM gc_rows")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	ids, xids = map[int]bool{}, map[int64]bool{}
	for rows.Next() {
		var id int
		var xid int64
		if err := rows.Scan(&id, &xid); err != nil {
			t.Fatal(err)
		}
		ids[id], xids[xid] = true, true
	}
	return ids, xids
}

func TestGroupCommitSharesOneTransactionAndAnswersEachJob(t *testing.T) {
	t.Parallel()
	s := groupFixture(t, groupTable)
	ctx := context.Background()
	const n = 20
	jobs := make([]func(pgx.Tx) error, n)
	for i := range jobs {
		jobs[i] = insertRow(ctx, i)
	}
	for i, err := range queueBehindBlocker(t, s, "holder-1", jobs) {
		if err != nil {
			t.Errorf("job %d: got %v, want success", i, err)
		}
	}
	ids, xids := rowsByXID(t, s)
	if len(ids) != n {
		t.Errorf("got %d rows, want %d", len(ids), n)
	}
	if len(xids) != 1 {
		t.Errorf("got %d transactions for the queued jobs, want 1 shared", len(xids))
	}
}

func TestGroupCommitFailingJobWritesNothingAndSparesTheOthers(t *testing.T) {
	t.Parallel()
	s := groupFixture(t, groupTable)
	ctx := context.Background()
	refused := errors.New("insufficient")
	jobs := []func(pgx.Tx) error{
		insertRow(ctx, 1),
		func(tx pgx.Tx) error { // writes, then a business rule refuses the sale
			if err := insertRow(ctx, 2)(tx); err != nil {
				return err
			}
			return refused
		},
		insertRow(ctx, 1), // a duplicate: the database refuses it
		insertRow(ctx, 3),
	}
	errs := queueBehindBlocker(t, s, "holder-2", jobs)
	if errs[3] != nil {
		t.Errorf("good job: got %v, want success", errs[3])
	}
	if !errors.Is(errs[1], refused) {
		t.Errorf("refused job: got %v, want %v", errs[1], refused)
	}
	// The two inserts of id 1 queue in either order: one commits, the other
	// is refused by the database.
	first, dup := errs[0], errs[2]
	if first != nil {
		first, dup = dup, first
	}
	if first != nil || !errors.Is(store.InterpretError(dup), store.ErrConflict) {
		t.Errorf("inserts of the same id: got %v and %v, want one success and one conflict", errs[0], errs[2])
	}
	ids, _ := rowsByXID(t, s)
	want := map[int]bool{1: true, 3: true}
	if fmt.Sprint(ids) != fmt.Sprint(want) {
		t.Errorf("got rows %v, want %v", ids, want)
	}
}

func TestGroupCommitFailedCommitRerunsEachJobAlone(t *testing.T) {
	t.Parallel()
	// A deferred unique constraint is only checked at COMMIT, so the shared
	// commit fails and every job must be answered by its own transaction.
	s := groupFixture(t, `CREATE TABLE gc_rows (id int, xid bigint NOT NULL DEFAULT txid_current(),
		CONSTRAINT gc_rows_id UNIQUE (id) DEFERRABLE INITIALLY DEFERRED)`)
	ctx := context.Background()
	jobs := []func(pgx.Tx) error{insertRow(ctx, 1), insertRow(ctx, 2), insertRow(ctx, 2), insertRow(ctx, 3)}
	errs := queueBehindBlocker(t, s, "holder-3", jobs)
	failed := 0
	for i, err := range errs {
		if err != nil {
			failed++
			if !errors.Is(store.InterpretError(err), store.ErrConflict) {
				t.Errorf("job %d: got %v, want a conflict", i, err)
			}
		}
	}
	if failed != 1 {
		t.Errorf("got %d failed jobs, want exactly 1 (one of the duplicates)", failed)
	}
	ids, xids := rowsByXID(t, s)
	if len(ids) != 3 || len(xids) != 3 {
		t.Errorf("got rows %v in %d transactions, want ids 1, 2, 3 each committed alone", ids, len(xids))
	}
}

func TestGroupCommitManyConcurrentCallersAllCommit(t *testing.T) {
	t.Parallel()
	s := groupFixture(t, groupTable)
	s.SetGroupMaxBatch(5) // several batches per lane
	ctx := context.Background()
	const n = 300
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = s.InGroupTx(ctx, fmt.Sprint("holder-", i%17), insertRow(ctx, i))
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("job %d: %v", i, err)
		}
	}
	if ids, _ := rowsByXID(t, s); len(ids) != n {
		t.Errorf("got %d rows, want %d", len(ids), n)
	}
}

func TestGroupCommitCancelledCallerWritesNothing(t *testing.T) {
	t.Parallel()
	s := groupFixture(t, groupTable)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := s.InGroupTx(ctx, "holder-4", insertRow(ctx, 1)); !errors.Is(err, context.Canceled) {
		t.Errorf("got %v, want context.Canceled", err)
	}
	if ids, _ := rowsByXID(t, s); len(ids) != 0 {
		t.Errorf("got rows %v, want none", ids)
	}
}
