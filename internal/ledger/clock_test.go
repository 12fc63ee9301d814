package ledger

import (
	"testing"
	"time"
)

var (
	_ Clock = SystemClock{}
	_ Clock = (*FixedClock)(nil)
)

func TestFixedClock(t *testing.T) {
	c := NewFixedClock(t0)
	if got := c.Now(); !got.Equal(t0) {
		t.Errorf("Now() = %v, want %v", got, t0)
	}
	if got, want := c.Advance(time.Hour), t0.Add(time.Hour); !got.Equal(want) || !c.Now().Equal(want) {
		t.Errorf("Advance() = %v, want %v", got, want)
	}
	c.Set(t0.Add(-time.Hour))
	if got, want := c.Now(), t0.Add(-time.Hour); !got.Equal(want) {
		t.Errorf("after Set, Now() = %v, want %v", got, want)
	}
}

func TestSystemClockIsRecent(t *testing.T) {
	if d := time.Since(SystemClock{}.Now()); d < 0 || d > time.Minute {
		t.Errorf("SystemClock is %v away from time.Now", d)
	}
}
