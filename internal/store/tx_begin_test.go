package store_test

import (
	"context"
	"errors"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/puntos/puntos/internal/store"
	"github.com/puntos/puntos/internal/testdb"
)

// TestLazyTx checks the transaction whose BEGIN rides with its first
// statement against what pgx's own transaction guarantees: a commit makes
// every statement durable, an error undoes all of them (the first one
// included), the options (isolation, read only) apply from the first
// statement, and a connection is never handed back inside a transaction.
func TestLazyTx(t *testing.T) {
	t.Parallel()
	cfg, err := pgxpool.ParseConfig(testdb.URL(t))
	if err != nil {
		t.Fatal(err)
	}
	cfg.MaxConns = 1 // every transaction reuses the connection the one before left
	pool, err := pgxpool.NewWithConfig(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	ctx := context.Background()
	// lazy holds the data (a real table: a read-only transaction may still
	// write temporary ones); the temporary marker shows that every
	// transaction left its connection clean enough to be reused.
	for _, sql := range []string{`DROP TABLE IF EXISTS lazy`, `CREATE TABLE lazy (v int PRIMARY KEY)`, `CREATE TEMP TABLE marker ()`} {
		if _, err := pool.Exec(ctx, sql); err != nil {
			t.Fatal(err)
		}
	}
	t.Cleanup(func() { _, _ = pool.Exec(ctx, `DROP TABLE IF EXISTS lazy`) })
	count := func() int {
		var n int
		if err := pool.QueryRow(ctx, `SELECT count(*) FROM pg_class WHERE relname = 'marker'`).Scan(&n); err != nil || n != 1 {
			t.Fatalf("the session's temporary table is gone (connection replaced?): %d, %v", n, err)
		}
		if err := pool.QueryRow(ctx, `SELECT count(*) FROM lazy`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	inTx := func(t *testing.T) {
		t.Helper()
		c, err := pool.Acquire(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Release()
		if st := c.Conn().PgConn().TxStatus(); st != 'I' {
			t.Fatalf("the pool handed back a connection in transaction state %q", st)
		}
	}
	boom := errors.New("boom")
	first := map[string]func(pgx.Tx) error{
		"Exec": func(tx pgx.Tx) error { _, err := tx.Exec(ctx, `INSERT INTO lazy VALUES (1)`); return err },
		"QueryRow": func(tx pgx.Tx) error {
			var v int
			return tx.QueryRow(ctx, `INSERT INTO lazy VALUES (1) RETURNING v`).Scan(&v)
		},
		"Query": func(tx pgx.Tx) error {
			rows, err := tx.Query(ctx, `INSERT INTO lazy VALUES (1) RETURNING v`)
			if err != nil {
				return err
			}
			rows.Close()
			return rows.Err()
		},
		"SendBatch": func(tx pgx.Tx) error {
			b := &pgx.Batch{}
			b.Queue(`INSERT INTO lazy VALUES (1)`)
			b.Queue(`SELECT 1`)
			return tx.SendBatch(ctx, b).Close()
		},
	}
	for name, fn := range first {
		t.Run(name, func(t *testing.T) {
			if _, err := pool.Exec(ctx, `DELETE FROM lazy`); err != nil {
				t.Fatal(err)
			}
			// An error after the first statement undoes it.
			err := store.RunInTx(ctx, pool, pgx.TxOptions{}, func(tx pgx.Tx) error {
				if err := fn(tx); err != nil {
					return err
				}
				_, err := tx.Exec(ctx, `INSERT INTO lazy VALUES (2)`)
				if err != nil {
					return err
				}
				return boom
			})
			if !errors.Is(err, boom) || count() != 0 {
				t.Fatalf("after an error: %v, %d rows, want boom and none", err, count())
			}
			inTx(t)
			// A failing second statement leaves nothing and a usable connection.
			err = store.RunInTx(ctx, pool, pgx.TxOptions{}, func(tx pgx.Tx) error {
				if err := fn(tx); err != nil {
					return err
				}
				_, err := tx.Exec(ctx, `INSERT INTO lazy VALUES (1)`) // duplicate key
				return err
			})
			if err == nil || count() != 0 {
				t.Fatalf("after a failed statement: %v, %d rows, want an error and none", err, count())
			}
			inTx(t)
			// A failing first statement too.
			if _, err := pool.Exec(ctx, `INSERT INTO lazy VALUES (1)`); err != nil {
				t.Fatal(err)
			}
			err = store.RunInTx(ctx, pool, pgx.TxOptions{}, fn)
			if err == nil || count() != 1 {
				t.Fatalf("after a failed first statement: %v, %d rows, want an error and one", err, count())
			}
			inTx(t)
			if _, err := pool.Exec(ctx, `DELETE FROM lazy`); err != nil {
				t.Fatal(err)
			}
			// A commit keeps both.
			err = store.RunInTx(ctx, pool, pgx.TxOptions{}, func(tx pgx.Tx) error {
				if err := fn(tx); err != nil {
					return err
				}
				_, err := tx.Exec(ctx, `INSERT INTO lazy VALUES (2)`)
				return err
			})
			if err != nil || count() != 2 {
				t.Fatalf("after a commit: %v, %d rows, want both", err, count())
			}
			inTx(t)
		})
	}
	t.Run("NoStatement", func(t *testing.T) {
		if err := store.RunInTx(ctx, pool, pgx.TxOptions{}, func(pgx.Tx) error { return nil }); err != nil {
			t.Fatal(err)
		}
		inTx(t)
	})
	t.Run("ReadOnlyFromTheFirstStatement", func(t *testing.T) {
		if _, err := pool.Exec(ctx, `DELETE FROM lazy`); err != nil {
			t.Fatal(err)
		}
		err := store.RunInTx(ctx, pool, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly}, first["Exec"])
		if err == nil || count() != 0 {
			t.Fatalf("a write in a read-only transaction: %v, %d rows", err, count())
		}
		var iso string
		err = store.RunInTx(ctx, pool, pgx.TxOptions{IsoLevel: pgx.RepeatableRead}, func(tx pgx.Tx) error {
			return tx.QueryRow(ctx, `SELECT current_setting('transaction_isolation')`).Scan(&iso)
		})
		if err != nil || iso != "repeatable read" {
			t.Fatalf("isolation %q, %v", iso, err)
		}
		inTx(t)
	})
	t.Run("LastBatch", func(t *testing.T) {
		if _, err := pool.Exec(ctx, `DROP TABLE IF EXISTS lazy_deferred; CREATE TABLE lazy_deferred (v int UNIQUE DEFERRABLE INITIALLY DEFERRED)`); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _, _ = pool.Exec(ctx, `DROP TABLE IF EXISTS lazy_deferred`) })
		last := func(tx pgx.Tx, sql ...string) pgx.BatchResults {
			b := &pgx.Batch{}
			for _, q := range sql {
				b.Queue(q)
			}
			return store.SendLast(ctx, tx, b)
		}
		reset := func() {
			if _, err := pool.Exec(ctx, `DELETE FROM lazy; DELETE FROM lazy_deferred`); err != nil {
				t.Fatal(err)
			}
		}
		// The commit rides with the last batch, even one whose results the
		// caller does not read; the transaction then takes no more statements.
		reset()
		var kept pgx.Tx
		err := store.RunInTx(ctx, pool, pgx.TxOptions{}, func(tx pgx.Tx) error {
			kept = tx
			if _, err := tx.Exec(ctx, `INSERT INTO lazy VALUES (1)`); err != nil {
				return err
			}
			br := last(tx, `INSERT INTO lazy VALUES (2)`, `SELECT 1`)
			if _, err := tx.Exec(ctx, `INSERT INTO lazy VALUES (3)`); !errors.Is(err, pgx.ErrTxClosed) {
				t.Errorf("a statement after the last batch: %v, want ErrTxClosed", err)
			}
			return br.Close()
		})
		if err != nil || count() != 2 {
			t.Fatalf("after the last batch: %v, %d rows, want both", err, count())
		}
		if _, err := kept.Exec(ctx, `SELECT 1`); !errors.Is(err, pgx.ErrTxClosed) {
			t.Fatalf("Exec after commit: %v, want ErrTxClosed", err)
		}
		inTx(t)
		// As the first statement: BEGIN, the statements and COMMIT at once.
		reset()
		err = store.RunInTx(ctx, pool, pgx.TxOptions{}, func(tx pgx.Tx) error {
			br := last(tx, `INSERT INTO lazy VALUES (1) RETURNING v`)
			var v int
			if err := br.QueryRow().Scan(&v); err != nil || v != 1 {
				t.Errorf("the last batch's row: %d, %v", v, err)
			}
			return nil // runInTx's Commit reads the commit's outcome
		})
		if err != nil || count() != 1 {
			t.Fatalf("a first and last batch: %v, %d rows, want one", err, count())
		}
		inTx(t)
		// A failing statement in it stops the commit: nothing of the
		// transaction stays.
		reset()
		err = store.RunInTx(ctx, pool, pgx.TxOptions{}, func(tx pgx.Tx) error {
			if _, err := tx.Exec(ctx, `INSERT INTO lazy VALUES (1)`); err != nil {
				return err
			}
			br := last(tx, `INSERT INTO lazy VALUES (2)`, `INSERT INTO lazy VALUES (1)`, `INSERT INTO lazy VALUES (3)`)
			if _, err := br.Exec(); err != nil {
				return err
			}
			return br.Close()
		})
		if err == nil || count() != 0 {
			t.Fatalf("a failed statement in the last batch: %v, %d rows, want an error and none", err, count())
		}
		inTx(t)
		// So does a failing COMMIT (a deferred constraint checked at commit).
		reset()
		err = store.RunInTx(ctx, pool, pgx.TxOptions{}, func(tx pgx.Tx) error {
			if _, err := tx.Exec(ctx, `INSERT INTO lazy VALUES (1)`); err != nil {
				return err
			}
			return last(tx, `INSERT INTO lazy_deferred VALUES (1)`, `INSERT INTO lazy_deferred VALUES (1)`).Close()
		})
		var n int
		if qerr := pool.QueryRow(ctx, `SELECT count(*) FROM lazy_deferred`).Scan(&n); qerr != nil {
			t.Fatal(qerr)
		}
		if err == nil || count() != 0 || n != 0 {
			t.Fatalf("a failed COMMIT: %v, %d and %d rows, want an error and none", err, count(), n)
		}
		inTx(t)
	})
	t.Run("ClosedAfterCommit", func(t *testing.T) {
		var kept pgx.Tx
		if err := store.RunInTx(ctx, pool, pgx.TxOptions{}, func(tx pgx.Tx) error { kept = tx; return nil }); err != nil {
			t.Fatal(err)
		}
		if _, err := kept.Exec(ctx, `SELECT 1`); !errors.Is(err, pgx.ErrTxClosed) {
			t.Fatalf("Exec after commit: %v, want ErrTxClosed", err)
		}
		if err := kept.QueryRow(ctx, `SELECT 1`).Scan(new(int)); !errors.Is(err, pgx.ErrTxClosed) {
			t.Fatalf("QueryRow after commit: %v, want ErrTxClosed", err)
		}
	})
}
