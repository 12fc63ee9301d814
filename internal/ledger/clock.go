package ledger

import (
	"sync"
	"time"
)

// Clock tells the time; everything about expiry and daily limits takes it injected so that tests control it.
type Clock interface {
	Now() time.Time
}

// SystemClock is the real clock, for production wiring.
type SystemClock struct{}

// Now returns time.Now().
func (SystemClock) Now() time.Time { return time.Now() }

// FixedClock is a settable clock for tests, safe for concurrent use; its zero value reads the zero time.
type FixedClock struct {
	mu sync.Mutex
	t  time.Time
}

// NewFixedClock returns a FixedClock reading t.
func NewFixedClock(t time.Time) *FixedClock { return &FixedClock{t: t} }

// Now returns the time last set.
func (c *FixedClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// Set moves the clock to t, backwards included.
func (c *FixedClock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
}

// Advance moves the clock forward by d and returns the new time.
func (c *FixedClock) Advance(d time.Duration) time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
	return c.t
}
