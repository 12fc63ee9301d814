// Package store owns every SQL statement and every database transaction.
// Exported methods begin a transaction, call unexported helpers that take a
// pgx.Tx, and commit; driver errors become domain errors here and nowhere else.
package store

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/puntos/puntos/internal/ledger"
)

// Store is the Postgres-backed storage of every API family.
type Store struct {
	pool  *pgxpool.Pool
	clock ledger.Clock
	// wallet and card batch concurrent wallet sales and card stamps
	// (apikey_walletbatch.go, apikey_cardbatch.go).
	wallet, card *saleBatcher
	apikeys      ttlCache[string, Merchant]      // by apikey hash (cache.go)
	tokens       ttlCache[string, tokenRow]      // OAuth access tokens by hash
	zones        ttlCache[int64, *time.Location] // merchants' time zones
	txTypes      ttlCache[txTypeKey, TxType]     // JSON API transaction types found (oauth_types.go)
	// readLanes batch concurrent contact lookups (apikey_memberread.go).
	readLanes map[Program]*lanes[*readJob]
	lanePool  *pgxpool.Pool // the lanes' connections (newLanePool)
	// instance owns this process's Idempotency-Key reservations
	// (idempotency_owner.go).
	instance *instanceLock
}

// Open connects a pool to url with at most maxConns connections and checks
// that the database answers.
func Open(ctx context.Context, url string, maxConns int32) (*pgxpool.Pool, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("database url: %w", err)
	}
	if maxConns > 0 {
		cfg.MaxConns = maxConns
	}
	cfg.MaxConnIdleTime = 5 * time.Minute
	cfg.AfterConnect, cfg.BeforeClose = registerShards(cfg.AfterConnect, cfg.BeforeClose)
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, err
	}
	pctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := pool.Ping(pctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("database unreachable: %w", err)
	}
	return pool, nil
}

// New wraps a pool. The clock decides "now" for expiry and daily limits, so
// tests can move time instead of sleeping.
func New(pool *pgxpool.Pool, clock ledger.Clock) *Store {
	if clock == nil {
		clock = ledger.SystemClock{}
	}
	s := &Store{pool: pool, clock: clock, instance: newInstanceLock(pool.Config().ConnConfig.Copy())}
	s.wallet = newSaleBatcher(s.writeWalletBatch, s.walletSaleAlone)
	s.card = newSaleBatcher(s.writeCardBatch, s.cardSaleAlone)
	s.readLanes = map[Program]*lanes[*readJob]{}
	for _, p := range []Program{ProgramCard, ProgramWallet} {
		s.readLanes[p] = newLanes(readLaneCount(), readMaxBatch, func(b []*readJob) { s.readMembers(p, b) })
	}
	s.lanePool = newLanePool(pool, 2*laneCount()+2*readLaneCount()) // wallet sales, card stamps, card and wallet lookups
	return s
}

// newLanePool is the lanes' own pool, one connection per lane, opened on
// first use: a batch never queues behind the requests waiting for the main
// pool (in the bench's mix, card sales and JSON API transactions held all of
// it and wallet batches waited seconds for a connection). It falls back to
// the main pool if its configuration cannot be copied.
func newLanePool(main *pgxpool.Pool, conns int) *pgxpool.Pool {
	cfg := main.Config()
	cfg.MaxConns, cfg.MinConns = int32(conns), 0
	// Batch statements take arrays whose length changes with every batch;
	// left to choose, Postgres kept re-planning the batch read (2 ms a
	// batch, a third of its run time) for the same plan. Every lookup in
	// them is a fenced index probe, so the generic plan is the right one.
	cfg.ConnConfig.RuntimeParams["plan_cache_mode"] = "force_generic_plan"
	p, err := pgxpool.NewWithConfig(context.Background(), cfg)
	if err != nil {
		return main
	}
	return p
}

// Close ends the session that holds this process's instance lock (taken by
// the first Idempotency-Key request), so that its unfinished reservations
// can be taken over. Call it after the last request, before closing the pool.
func (s *Store) Close() {
	s.instance.close()
	if s.lanePool != s.pool {
		s.lanePool.Close()
	}
}

// Pool exposes the pool for health checks and metrics.
func (s *Store) Pool() *pgxpool.Pool { return s.pool }

// Now is the store's clock reading.
func (s *Store) Now() time.Time { return s.clock.Now() }

// Ping checks that the database answers.
func (s *Store) Ping(ctx context.Context) error { return s.pool.Ping(ctx) }
