package store_test

import (
	"context"
	"testing"

	"github.com/puntos/puntos/internal/store"
	"github.com/puntos/puntos/internal/testdb"
)

// Concurrent transactions of one pool bump different rollup rows.
func TestRollupShardPerConnection(t *testing.T) {
	pool := testdb.Pool(t)
	ctx := context.Background()
	seen := map[int16]bool{}
	for range 8 {
		c, err := pool.Acquire(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Release()
		tx, err := c.Begin(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer tx.Rollback(ctx)
		n := store.RollupShard(tx)
		if seen[n] {
			t.Fatalf("two open connections share rollup shard %d", n)
		}
		seen[n] = true
	}
}
