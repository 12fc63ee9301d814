package ratelimit

import (
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

var t0 = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

func TestBurstThenRefusesWithRetryAfter(t *testing.T) {
	t.Parallel()
	l := New(10, time.Second, 5) // one every 100 ms, bursts of 5
	for i := range 5 {
		if ok, _ := l.Allow("k", t0); !ok {
			t.Fatalf("request %d of the burst refused", i+1)
		}
	}
	ok, retry := l.Allow("k", t0)
	if ok || retry != 100*time.Millisecond {
		t.Fatalf("got ok=%v retry=%v, want refused with retry 100ms", ok, retry)
	}
	if ok, _ := l.Allow("k", t0.Add(100*time.Millisecond)); !ok {
		t.Fatal("refused after Retry-After elapsed")
	}
}

func TestKeysAreIndependent(t *testing.T) {
	t.Parallel()
	l := New(1, time.Second, 1)
	if ok, _ := l.Allow("a", t0); !ok {
		t.Fatal("a refused")
	}
	if ok, _ := l.Allow("b", t0); !ok {
		t.Fatal("b refused because of a")
	}
	if ok, _ := l.Allow("a", t0); ok {
		t.Fatal("a allowed twice in its interval")
	}
}

func TestSteadyRateIsAllowed(t *testing.T) {
	t.Parallel()
	l := New(100, time.Second, 1)
	for i := range 1000 {
		if ok, _ := l.Allow("k", t0.Add(time.Duration(i)*10*time.Millisecond)); !ok {
			t.Fatalf("request %d at exactly the rate refused", i)
		}
	}
}

func TestNilLimiterAllowsEverything(t *testing.T) {
	t.Parallel()
	var l *Limiter = New(0, time.Second, 1)
	if ok, _ := l.Allow("k", t0); !ok || l.Len() != 0 {
		t.Fatal("disabled limiter refused")
	}
}

func TestSweepForgetsIdleKeys(t *testing.T) {
	t.Parallel()
	l := New(10, time.Second, 1)
	for _, k := range []string{"a", "b", "c"} {
		l.Allow(k, t0)
	}
	l.Allow("d", t0.Add(2*time.Minute))
	if got := l.Len(); got != 1 {
		t.Fatalf("got %d keys after the sweep, want 1", got)
	}
}

func TestConcurrentCallersGetExactlyTheBurst(t *testing.T) {
	t.Parallel()
	l := New(1, time.Hour, 20)
	var allowed atomic.Int64
	var wg sync.WaitGroup
	for range 100 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if ok, _ := l.Allow("k", t0); ok {
				allowed.Add(1)
			}
		}()
	}
	wg.Wait()
	if allowed.Load() != 20 {
		t.Fatalf("got %d allowed, want exactly the burst of 20", allowed.Load())
	}
}
