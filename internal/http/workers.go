package http

import (
	"context"
	"time"
)

// Workers returns the background jobs the server runs beside HTTP (expiry,
// webhook delivery); each returns when its context ends.
func (s *Server) Workers() []func(context.Context) {
	return []func(context.Context){s.expiryWorker, s.outbox.run}
}

// expiryRound bounds the accounts one expiry transaction takes.
const expiryRound = 500

// expiryWorker runs the ledger expiry job at start and then every
// EXPIRY_INTERVAL. Each server process runs one; the store's SKIP LOCKED
// makes them share the work rather than repeat it.
func (s *Server) expiryWorker(ctx context.Context) {
	tick := time.NewTicker(s.cfg.ExpiryInterval)
	defer tick.Stop()
	for {
		s.expireAll(ctx)
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}

// expireAll catches up: it expires due batches round after round until none
// is left (after downtime there may be many), then forgets Idempotency-Key
// answers older than 24 h.
func (s *Server) expireAll(ctx context.Context) {
	for ctx.Err() == nil {
		n, err := s.store.ExpireDue(ctx, expiryRound)
		if err != nil {
			if ctx.Err() == nil {
				s.log.Error("expiry job", "err", err)
			}
			return
		}
		s.metrics.expired.Add(float64(n))
		if n == 0 {
			break
		}
	}
	if _, err := s.store.PurgeIdemKeys(ctx); err != nil && ctx.Err() == nil {
		s.log.Error("idempotency key purge", "err", err)
	}
}
