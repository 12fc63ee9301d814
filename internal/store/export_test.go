package store

import (
	"context"

	"github.com/jackc/pgx/v5"
)

// Hooks for the external tests of group commit (package store_test cannot
// see unexported names, and testdb imports store, so the tests live outside).

// InGroupTx exposes inGroupTx.
func (s *Store) InGroupTx(ctx context.Context, key string, fn func(pgx.Tx) error) error {
	return s.inGroupTx(ctx, key, fn)
}

// QueuedInLane is how many jobs wait in key's lane.
func (s *Store) QueuedInLane(key string) int {
	l := s.gc.laneFor(key)
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.queue)
}

// SetGroupMaxBatch lowers the batch size to force several batches per lane.
func (s *Store) SetGroupMaxBatch(n int) { s.gc.maxBatch = n }

// InterpretError exposes interpretError.
var InterpretError = interpretError
