package http

import (
	"sync"
	"time"
)

// limiter allows each credential a number of requests per one-second
// window (RATE_LIMIT); zero allows everything. It is per process: with
// several servers behind a balancer each enforces its own share.
type limiter struct {
	perSecond int
	now       func() time.Time // the clock; tests freeze it
	mu        sync.Mutex
	windows   map[string]*window
}

type window struct {
	start time.Time
	count int
}

func newLimiter(perSecond int) *limiter {
	return &limiter{perSecond: perSecond, now: time.Now, windows: map[string]*window{}}
}

// allow counts one request of key and reports whether it is within the limit.
func (l *limiter) allow(key string) bool {
	if l == nil || l.perSecond <= 0 {
		return true
	}
	now := l.now()
	l.mu.Lock()
	defer l.mu.Unlock()
	w := l.windows[key]
	if w == nil || now.Sub(w.start) >= time.Second {
		if len(l.windows) > 100_000 {
			l.prune(now) // forget idle credentials so the map stays bounded
		}
		w = &window{start: now}
		l.windows[key] = w
	}
	w.count++
	return w.count <= l.perSecond
}

func (l *limiter) prune(now time.Time) {
	for k, w := range l.windows {
		if now.Sub(w.start) >= time.Second {
			delete(l.windows, k)
		}
	}
}
