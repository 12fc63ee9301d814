package store

import (
	"sync"
	"time"
)

// apikeyCacheTTL is how long a found apikey is trusted without asking the
// database again. A revocation or a merchant change made through this
// server empties the cache at once; one made by another server process
// sharing the database takes effect within this time.
const apikeyCacheTTL = time.Second

// apikeyCache maps an apikey's hash to its merchant as read at a time.
// Unknown keys are never cached: a new key works at once, and a guessed
// one costs a lookup (and counts against the caller's rate limit).
type apikeyCache struct{ m sync.Map }

type cachedMerchant struct {
	m  Merchant
	at time.Time
}

func (c *apikeyCache) get(hash string) (Merchant, bool) {
	v, ok := c.m.Load(hash)
	if !ok {
		return Merchant{}, false
	}
	e := v.(*cachedMerchant)
	if time.Since(e.at) >= apikeyCacheTTL {
		c.m.CompareAndDelete(hash, v) // pointers compare: a fresher entry stays
		return Merchant{}, false
	}
	return e.m, true
}

func (c *apikeyCache) put(hash string, m Merchant) { c.m.Store(hash, &cachedMerchant{m, time.Now()}) }

func (c *apikeyCache) clear() { c.m.Clear() }
