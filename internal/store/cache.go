package store

import (
	"sync"
	"sync/atomic"
	"time"
)

// cacheTTL is how long something read from the database for a request —
// an apikey's merchant, an OAuth token, a merchant's time zone, a JSON API
// transaction type — is trusted without asking again. A revocation or a
// merchant change made through this server empties the cache concerned at
// once; one made by another server process sharing the database takes
// effect within this time.
const cacheTTL = time.Second

// ttlCache maps keys to values as read at a time. Lookups that find
// nothing are never cached: a new key works at once, and a guessed one
// costs a lookup (and counts against the caller's rate limit).
//
// A value read from the database before a clear (a revocation that had not
// committed yet when the read began) must not be stored after it: get
// gives, with a miss, the cache's generation, put stores only under that
// same generation, and clear starts a new one.
type ttlCache[K comparable, V any] struct {
	m   sync.Map
	gen atomic.Uint64
}

type cached[V any] struct {
	v  V
	at time.Time
}

// get returns the value cached for k, or on a miss the generation under
// which the caller may put what it reads now.
func (c *ttlCache[K, V]) get(k K) (v V, ok bool, gen uint64) {
	gen = c.gen.Load() // before the lookup: a clear after it invalidates the caller's read
	e, found := c.m.Load(k)
	if !found {
		return v, false, gen
	}
	if time.Since(e.(*cached[V]).at) >= cacheTTL {
		c.m.CompareAndDelete(k, e) // pointers compare: a fresher entry stays
		return v, false, gen
	}
	return e.(*cached[V]).v, true, gen
}

// put caches v for k if no clear happened since get gave gen.
func (c *ttlCache[K, V]) put(k K, v V, gen uint64) {
	if c.gen.Load() != gen {
		return
	}
	e := &cached[V]{v, time.Now()}
	c.m.Store(k, e)
	if c.gen.Load() != gen { // a clear ran between the check and the store
		c.m.CompareAndDelete(k, e)
	}
}

// clear forgets every value, including those being read at this moment.
func (c *ttlCache[K, V]) clear() {
	c.gen.Add(1)
	c.m.Clear()
}
