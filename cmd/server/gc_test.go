package main

import (
	"errors"
	"os"
	"runtime/debug"
	"testing"
)

func TestTuneGC(t *testing.T) {
	defer debug.SetGCPercent(debug.SetGCPercent(100))
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(-1))
	env := func(kv map[string]string) func(string) string { return func(k string) string { return kv[k] } }
	limit := func(s string) func(string) ([]byte, error) {
		return func(path string) ([]byte, error) {
			if path != cgroupMemoryMax {
				t.Fatalf("read %s", path)
			}
			if s == "" {
				return nil, os.ErrNotExist
			}
			return []byte(s), nil
		}
	}
	// percent and soft are what tuneGC reports; 0 means it left Go's
	// setting (100, and the untouched limit below) as it was.
	const untouched = 1 << 62
	for _, c := range []struct {
		name    string
		env     map[string]string
		memMax  string
		percent int
		soft    int64
	}{
		{"defaults, no container limit", nil, "", serverGCPercent, 0},
		{"defaults, unlimited container", nil, "max\n", serverGCPercent, 0},
		{"defaults, 1 GiB container", nil, "1073741824\n", serverGCPercent, 805306368},
		{"operator set GOGC", map[string]string{"GOGC": "150"}, "1073741824\n", 0, 0},
		{"operator set GOMEMLIMIT", map[string]string{"GOMEMLIMIT": "512MiB"}, "", 0, 0},
	} {
		t.Run(c.name, func(t *testing.T) {
			debug.SetGCPercent(100)
			debug.SetMemoryLimit(untouched)
			pct, soft := tuneGC(env(c.env), limit(c.memMax))
			if pct != c.percent || soft != c.soft {
				t.Fatalf("tuneGC = %d, %d; want %d, %d", pct, soft, c.percent, c.soft)
			}
			wantGC, wantLimit := c.percent, c.soft
			if wantGC == 0 {
				wantGC = 100
			}
			if wantLimit == 0 {
				wantLimit = untouched
			}
			if got := debug.SetGCPercent(100); got != wantGC {
				t.Errorf("GC percent %d, want %d", got, wantGC)
			}
			if got := debug.SetMemoryLimit(-1); got != wantLimit {
				t.Errorf("memory limit %d, want %d", got, wantLimit)
			}
		})
	}
	if _, ok := containerMemory(func(string) ([]byte, error) { return nil, errors.New("no cgroup") }); ok {
		t.Error("a missing memory.max is no limit")
	}
}
