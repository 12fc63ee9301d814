package main

import (
	"math/bits"
	"time"
)

// histogram records latencies in microseconds in log-linear buckets: 64
// sub-buckets per power of two, so any quantile is within about 1.6% of the
// true value whatever the run length, at a fixed 64 KiB per histogram.
type histogram struct {
	counts [64 * 64]uint64
	n      uint64
	max    uint64
}

const subBits = 6 // 64 sub-buckets

func bucketOf(us uint64) int {
	if us < 1<<subBits {
		return int(us)
	}
	shift := bits.Len64(us) - subBits - 1
	return (shift+1)<<subBits + int(us>>uint(shift)) - 1<<subBits
}

// lowOf is the smallest value that falls in bucket i (its representative).
func lowOf(i int) uint64 {
	if i < 1<<subBits {
		return uint64(i)
	}
	shift := i>>subBits - 1
	return uint64(i-(shift+1)<<subBits+1<<subBits) << uint(shift)
}

func (h *histogram) record(d time.Duration) {
	us := uint64(d / time.Microsecond)
	i := bucketOf(us)
	if i >= len(h.counts) {
		i = len(h.counts) - 1
	}
	h.counts[i]++
	h.n++
	if us > h.max {
		h.max = us
	}
}

func (h *histogram) merge(o *histogram) {
	for i, c := range o.counts {
		h.counts[i] += c
	}
	h.n += o.n
	if o.max > h.max {
		h.max = o.max
	}
}

// quantile returns the latency below which a fraction q of the samples fall.
func (h *histogram) quantile(q float64) time.Duration {
	if h.n == 0 {
		return 0
	}
	rank := uint64(q*float64(h.n) + 0.5)
	if rank < 1 {
		rank = 1
	}
	var seen uint64
	for i, c := range h.counts {
		seen += c
		if seen >= rank {
			return time.Duration(lowOf(i)) * time.Microsecond
		}
	}
	return time.Duration(h.max) * time.Microsecond
}
