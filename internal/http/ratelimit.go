package http

import (
	"encoding/hex"
	"net"
	"net/http"
	"strconv"
	"time"

	"github.com/puntos/puntos/internal/ratelimit"
	"github.com/puntos/puntos/internal/secret"
)

// limiter allows each key (a credential, or a client IP on the token
// endpoint) a number of requests per period, with bursts of one period's
// worth; a nil limiter allows everything. It is per process: with several
// servers behind a balancer each enforces its own share.
type limiter struct {
	l   *ratelimit.Limiter
	now func() time.Time // the clock; tests freeze it
}

// newLimiter allows n requests per period for every key (n <= 0: unlimited).
func newLimiter(n int, per time.Duration) *limiter {
	if n <= 0 {
		return nil
	}
	return &limiter{l: ratelimit.New(n, per, n), now: time.Now}
}

// allow counts one request of key. When it is refused, the answer carries
// Retry-After (whole seconds, at least 1) and the caller writes its
// family's 429.
func (l *limiter) allow(w http.ResponseWriter, key string) bool {
	if l == nil {
		return true
	}
	ok, retry := l.l.Allow(key, l.now())
	if !ok {
		secs := int((retry + time.Second - 1) / time.Second)
		w.Header().Set("Retry-After", strconv.Itoa(max(secs, 1)))
	}
	return ok
}

// allowCredential counts one request made with a presented secret. Without
// a limit it returns before hashing: every till request passes here.
func (l *limiter) allowCredential(w http.ResponseWriter, family, plain string) bool {
	if l == nil {
		return true
	}
	return l.allow(w, credentialKey(family, plain))
}

// credentialKey names a presented secret for the limiter without keeping
// the secret itself in memory longer than the request.
func credentialKey(family, plain string) string {
	return family + ":" + hex.EncodeToString(secret.Hash(plain)[:8])
}

// clientIP is the request's peer address (no proxy headers are trusted: a
// client could forge them to escape the limit).
func clientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}
