package main

import (
	"testing"
	"time"
)

func TestBucketsRoundTripWithinPrecision(t *testing.T) {
	t.Parallel()
	for _, us := range []uint64{0, 1, 63, 64, 65, 127, 128, 1000, 12345, 999999, 5_000_000} {
		low := lowOf(bucketOf(us))
		if low > us || float64(us-low) > float64(us)/64+1 {
			t.Errorf("value %d: bucket low %d, want within 1/64 below", us, low)
		}
	}
}

func TestQuantilesOfUniformSamples(t *testing.T) {
	t.Parallel()
	var h histogram
	for i := 1; i <= 10000; i++ {
		h.record(time.Duration(i) * time.Microsecond)
	}
	for _, c := range []struct {
		q    float64
		want time.Duration
	}{{0.5, 5000 * time.Microsecond}, {0.99, 9900 * time.Microsecond}} {
		got := h.quantile(c.q)
		if got > c.want || float64(c.want-got) > float64(c.want)/50 {
			t.Errorf("quantile %v: got %v, want about %v", c.q, got, c.want)
		}
	}
}
