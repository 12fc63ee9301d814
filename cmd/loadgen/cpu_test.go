package main

import (
	"os"
	"testing"
)

func TestSplitInCores(t *testing.T) {
	n := cpuCores()
	// 10 s of n cores = 1000*n ticks at 100 Hz; the machine was idle a quarter of it.
	a := cpuSample{ok: true}
	b := cpuSample{ok: true, total: uint64(1000 * n), idle: uint64(250 * n), server: 200, postgres: 300, owner: 100}
	s, ok := split(a, b)
	if !ok {
		t.Fatal("split refused two good samples")
	}
	near := func(got, want float64) bool { return got > want-1e-9 && got < want+1e-9 }
	if !near(s.Busy, 0.75*float64(n)) || !near(s.Server, 0.2) || !near(s.Postgres, 0.3) || !near(s.Loadgen, 0.1) ||
		!near(s.Other, 0.75*float64(n)-0.6) {
		t.Fatalf("got %+v", s)
	}
	if _, ok := split(b, a); ok {
		t.Fatal("counters going backwards must not give a split")
	}
}

func TestSampleCPUReadsThisProcess(t *testing.T) {
	x := 0
	for i := range 50_000_000 { // some CPU of our own to see
		x += i
	}
	s := sampleCPU(os.Getpid())
	if !s.ok || s.total == 0 || s.owner == 0 || s.server < s.owner { // the same process, read a moment later
		t.Fatalf("got %+v (x=%d)", s, x)
	}
}

func TestPerRequest(t *testing.T) {
	s := cpuSplit{Cores: 2, Busy: 1.8, Server: 0.6, Postgres: 1.0, Loadgen: 0.2}
	want := "CPU per request: server 50 µs, postgres 83 µs, load generator 17 µs; the machine 150 µs"
	if got := s.perRequest(12000); got != want {
		t.Fatalf("got %q, want %q", got, want)
	}
	if got := s.perRequest(0); got != "" {
		t.Fatalf("no requests: got %q, want nothing", got)
	}
}
