package store

import (
	"context"
	"sync"

	"github.com/jackc/pgx/v5"
)

// Every connection of this process gets a rollup shard of its own (the
// lowest number no other open connection holds), so that two concurrent
// transactions never bump the same report_store_daily or
// report_product_daily row. The shard used to be the backend's pid modulo
// 16: with a pool of 48 connections three of them shared each row, and in
// the bench's mix a JSON API transaction waited 16 ms on average for the
// row lock another one held until its commit (enrolment: 23 ms), holding
// its own pool connection meanwhile. A shard is a row per connection and
// day, and the reports sum over shards, so their number changes nothing
// but the rows: at most one per connection ever open at once.

// shardSet hands out rollup shards to connections by backend pid.
type shardSet struct {
	mu    sync.Mutex
	byPID map[uint32]int16
	used  []bool
}

// rollupShardSet serves every pool opened by Open.
var rollupShardSet = &shardSet{byPID: map[uint32]int16{}}

// take gives the connection with backend pid the lowest free shard.
func (s *shardSet) take(pid uint32) {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for n < len(s.used) && s.used[n] {
		n++
	}
	if n == len(s.used) {
		s.used = append(s.used, false)
	}
	s.used[n] = true
	s.byPID[pid] = int16(n)
}

// give frees the shard of the connection with backend pid.
func (s *shardSet) give(pid uint32) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if n, ok := s.byPID[pid]; ok {
		s.used[n] = false
		delete(s.byPID, pid)
	}
}

// of is the shard of the connection with backend pid; a connection not
// opened by Open falls back to its pid modulo 16.
func (s *shardSet) of(pid uint32) int16 {
	s.mu.Lock()
	n, ok := s.byPID[pid]
	s.mu.Unlock()
	if !ok {
		n = int16(pid % 16)
	}
	return n
}

// rollupShard is the shard of tx's connection.
func rollupShard(tx pgx.Tx) int16 { return rollupShardSet.of(tx.Conn().PgConn().PID()) }

// registerShards makes the pool's connections take a shard when they open
// and give it back when they close.
func registerShards(afterConnect func(context.Context, *pgx.Conn) error, beforeClose func(*pgx.Conn)) (func(context.Context, *pgx.Conn) error, func(*pgx.Conn)) {
	return func(ctx context.Context, c *pgx.Conn) error {
			rollupShardSet.take(c.PgConn().PID())
			if afterConnect != nil {
				return afterConnect(ctx, c)
			}
			return nil
		}, func(c *pgx.Conn) {
			rollupShardSet.give(c.PgConn().PID())
			if beforeClose != nil {
				beforeClose(c)
			}
		}
}
