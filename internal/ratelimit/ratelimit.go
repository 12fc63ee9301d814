// Package ratelimit limits requests per key (a credential, or an IP on the
// token endpoint) with the generic cell rate algorithm: one timestamp per
// key, no goroutine per key, and an exact Retry-After.
package ratelimit

import (
	"hash/maphash"
	"sync"
	"time"
)

const shards = 32

// Limiter allows Rate requests per Per for each key, with bursts of up to Burst.
type Limiter struct {
	interval  time.Duration // time one request "costs"
	tolerance time.Duration // how far ahead of now a key may run: (burst-1) intervals
	seed      maphash.Seed
	shards    [shards]shard
	swept     time.Time
	sweepMu   sync.Mutex
}

type shard struct {
	mu  sync.Mutex
	tat map[string]time.Time // theoretical arrival time of the next conforming request
}

// New returns a limiter of n requests per period with the given burst; n <= 0 returns nil, which allows everything.
func New(n int, per time.Duration, burst int) *Limiter {
	if n <= 0 || per <= 0 {
		return nil
	}
	if burst < 1 {
		burst = 1
	}
	l := &Limiter{interval: per / time.Duration(n), seed: maphash.MakeSeed()}
	l.tolerance = l.interval * time.Duration(burst-1)
	for i := range l.shards {
		l.shards[i].tat = map[string]time.Time{}
	}
	return l
}

// Allow reports whether a request for key at now conforms; when it does
// not, retryAfter says when the next one will.
func (l *Limiter) Allow(key string, now time.Time) (ok bool, retryAfter time.Duration) {
	if l == nil {
		return true, 0
	}
	l.maybeSweep(now)
	sh := &l.shards[maphash.String(l.seed, key)%shards]
	sh.mu.Lock()
	defer sh.mu.Unlock()
	tat, seen := sh.tat[key]
	if !seen || tat.Before(now) {
		tat = now
	}
	if allowAt := tat.Add(-l.tolerance); now.Before(allowAt) {
		return false, allowAt.Sub(now)
	}
	sh.tat[key] = tat.Add(l.interval)
	return true, 0
}

// maybeSweep drops keys whose allowance is full again, at most once a
// minute, so that one-off keys (IPs, revoked credentials) do not accumulate.
func (l *Limiter) maybeSweep(now time.Time) {
	if !l.sweepMu.TryLock() {
		return
	}
	defer l.sweepMu.Unlock()
	if now.Sub(l.swept) < time.Minute {
		return
	}
	l.swept = now
	for i := range l.shards {
		sh := &l.shards[i]
		sh.mu.Lock()
		for k, tat := range sh.tat {
			if tat.Before(now) {
				delete(sh.tat, k)
			}
		}
		sh.mu.Unlock()
	}
}

// Len is the number of keys tracked, for tests and metrics.
func (l *Limiter) Len() int {
	if l == nil {
		return 0
	}
	n := 0
	for i := range l.shards {
		l.shards[i].mu.Lock()
		n += len(l.shards[i].tat)
		l.shards[i].mu.Unlock()
	}
	return n
}
