package main

import (
	"runtime/debug"
	"strconv"
	"strings"
)

// serverGCPercent is the collector's target when the operator sets neither
// GOGC nor GOMEMLIMIT: the heap may grow to five times what was live at the
// last collection instead of Go's twice. The live heap of a busy server is
// small (tens of MiB: batches, caches, connections), and at Go's default the
// collector took about a fifth of the server's CPU under load. Measured on 2
// cores in three alternating pairs of bench runs (BENCHMARKS.md): contact
// lookups 12,141–13,111 → 13,938–14,271/s, the server's share of the CPU in
// the sales phase 36–37 % → 33–34 %, peak RSS 63 → 113 MiB.
const serverGCPercent = 400

// cgroupMemoryMax is where a container's memory limit is (cgroup v2).
const cgroupMemoryMax = "/sys/fs/cgroup/memory.max"

// tuneGC applies serverGCPercent unless the operator chose the collector's
// settings, and then, in a container with a memory limit, sets a soft limit
// of three quarters of it: the collector runs sooner rather than let the
// larger heap take the process to the container's limit. It returns what it
// set, for the start-up log (zero values: nothing).
func tuneGC(getenv func(string) string, readFile func(string) ([]byte, error)) (percent int, softLimit int64) {
	if getenv("GOGC") != "" || getenv("GOMEMLIMIT") != "" {
		return 0, 0
	}
	debug.SetGCPercent(serverGCPercent)
	if limit, ok := containerMemory(readFile); ok {
		softLimit = limit / 4 * 3
		debug.SetMemoryLimit(softLimit)
	}
	return serverGCPercent, softLimit
}

// containerMemory reads the cgroup v2 memory limit; "max" or no file means
// none.
func containerMemory(readFile func(string) ([]byte, error)) (int64, bool) {
	b, err := readFile(cgroupMemoryMax)
	if err != nil {
		return 0, false
	}
	n, err := strconv.ParseInt(strings.TrimSpace(string(b)), 10, 64)
	if err != nil || n <= 0 {
		return 0, false
	}
	return n, true
}
