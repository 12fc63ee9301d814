package store

import (
	"sync"
	"time"
)

// cacheTTL is how long something read from the database for a request —
// an apikey's merchant, an OAuth token, a merchant's time zone — is
// trusted without asking again. A revocation or a merchant change made
// through this server empties the cache concerned at once; one made by
// another server process sharing the database takes effect within this
// time.
const cacheTTL = time.Second

// ttlCache maps keys to values as read at a time. Lookups that find
// nothing are never cached: a new key works at once, and a guessed one
// costs a lookup (and counts against the caller's rate limit).
type ttlCache[K comparable, V any] struct{ m sync.Map }

type cached[V any] struct {
	v  V
	at time.Time
}

func (c *ttlCache[K, V]) get(k K) (V, bool) {
	e, ok := c.m.Load(k)
	if !ok {
		var zero V
		return zero, false
	}
	if time.Since(e.(*cached[V]).at) >= cacheTTL {
		c.m.CompareAndDelete(k, e) // pointers compare: a fresher entry stays
		var zero V
		return zero, false
	}
	return e.(*cached[V]).v, true
}

func (c *ttlCache[K, V]) put(k K, v V) { c.m.Store(k, &cached[V]{v, time.Now()}) }

func (c *ttlCache[K, V]) clear() { c.m.Clear() }
