package main

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/jackc/pgx/v5"
)

// warmWAL gives a young cluster the WAL files of one that has run a while,
// before the server starts, when the generator can reach the database.
//
// Until a cluster has written about max_wal_size of WAL, every new 16 MB
// segment is created on the spot: zero-filled and fsynced by whichever
// backend needs it, inside some commit, so every batch waiting on that
// commit stalls. A cluster that has run a while recycles the segments its
// checkpoints freed instead. On a cluster fresh from initdb the default run
// measured that first gigabyte rather than the steady state (sales phase
// 13,216 and 13,842 sales/s with p99 76.8 and 70.7 ms, against 15,081 and
// 34.3 ms once warmed; see BENCHMARKS.md). Nothing of the server's data is
// touched: a table of its own is filled, dropped and checkpointed away.
func warmWAL(ctx context.Context) {
	conn := connectDB(ctx, "warm WAL")
	if conn == nil {
		return
	}
	defer conn.Close(context.Background())
	var files, segBytes, maxBytes int64
	err := conn.QueryRow(ctx, `SELECT (SELECT count(*) FROM pg_ls_waldir()),
		(SELECT setting::bigint FROM pg_settings WHERE name = 'wal_segment_size'),
		(SELECT setting::bigint * 1024 * 1024 FROM pg_settings WHERE name = 'max_wal_size')`).Scan(&files, &segBytes, &maxBytes)
	if err != nil {
		// pg_ls_waldir needs a superuser or pg_monitor: not ours to warm.
		fmt.Fprintln(os.Stderr, "loadgen: warm WAL skipped:", err)
		return
	}
	if files*segBytes >= maxBytes/2 {
		return // recycles already
	}
	t0 := time.Now()
	written, err := fillWAL(ctx, conn, maxBytes)
	if err != nil {
		fmt.Fprintln(os.Stderr, "loadgen: warm WAL:", err)
		return
	}
	_ = conn.QueryRow(ctx, `SELECT count(*) FROM pg_ls_waldir()`).Scan(&files)
	fmt.Printf("young cluster: wrote %d MB of WAL and checkpointed (%d WAL files now) in %s, so that commits recycle segments as on a cluster that has run a while\n",
		written>>20, files, time.Since(t0).Round(time.Millisecond))
}

// fillWAL writes at least n bytes of WAL through a table it then drops, and
// checkpoints so that the segments become recyclable; it returns how many.
func fillWAL(ctx context.Context, conn *pgx.Conn, n int64) (written int64, err error) {
	var start string
	if err := conn.QueryRow(ctx, `SELECT pg_current_wal_lsn()::text`).Scan(&start); err != nil {
		return 0, err
	}
	if _, err := conn.Exec(ctx, `DROP TABLE IF EXISTS loadgen_wal_warm; CREATE TABLE loadgen_wal_warm (pad text)`); err != nil {
		return 0, err
	}
	for written < n {
		if _, err := conn.Exec(ctx, `INSERT INTO loadgen_wal_warm SELECT repeat('x', 200) FROM generate_series(1, 500000)`); err != nil {
			return written, err
		}
		if err := conn.QueryRow(ctx, `SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), $1::pg_lsn)::bigint`, start).Scan(&written); err != nil {
			return written, err
		}
	}
	_, err = conn.Exec(ctx, `DROP TABLE loadgen_wal_warm; CHECKPOINT`)
	return written, err
}
