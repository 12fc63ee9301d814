package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// The machine's CPU during a phase, split by who used it, read from /proc
// (Linux): with server, Postgres and load generator on two cores, the split
// says which side a change has to make cheaper. Postgres is every process
// named postgres on the machine — the bench's own cluster when nothing else
// runs, which is how figures are meant to be taken.

// cpuSample is cumulative CPU time in clock ticks.
type cpuSample struct {
	total, idle             uint64 // the whole machine, all cores
	server, postgres, owner uint64
	ok                      bool
}

// cpuSplit is a phase's CPU use in cores (1.0 = one core busy the whole phase).
type cpuSplit struct {
	Cores    int     `json:"cores"`
	Busy     float64 `json:"busy_cores"`
	Server   float64 `json:"server_cores"`
	Postgres float64 `json:"postgres_cores"`
	Loadgen  float64 `json:"loadgen_cores"`
	Other    float64 `json:"other_cores"`
}

// sampleCPU reads the counters now; serverPID 0 means the server is not ours.
func sampleCPU(serverPID int) cpuSample {
	var s cpuSample
	stat, err := os.ReadFile("/proc/stat")
	if err != nil {
		return s
	}
	line, _, _ := bytes.Cut(stat, []byte("\n"))
	f := strings.Fields(string(line)) // cpu user nice system idle iowait irq softirq steal ...
	if len(f) < 8 || f[0] != "cpu" {
		return s
	}
	for i, v := range f[1:min(len(f), 9)] {
		n, _ := strconv.ParseUint(v, 10, 64)
		s.total += n
		if i == 3 || i == 4 { // idle, iowait
			s.idle += n
		}
	}
	s.owner = procTicks(os.Getpid())
	if serverPID > 0 {
		s.server = procTicks(serverPID)
	}
	dirs, _ := filepath.Glob("/proc/[0-9]*")
	for _, d := range dirs {
		if comm, err := os.ReadFile(d + "/comm"); err == nil && string(bytes.TrimSpace(comm)) == "postgres" {
			pid, _ := strconv.Atoi(filepath.Base(d))
			s.postgres += procTicks(pid)
		}
	}
	s.ok = true
	return s
}

// procTicks is a process's user + system time (all its threads).
func procTicks(pid int) uint64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0
	}
	// The command name may hold spaces; the fields after it are fixed.
	i := bytes.LastIndexByte(b, ')')
	if i < 0 {
		return 0
	}
	f := strings.Fields(string(b[i+1:])) // state ppid ... utime(12) stime(13)
	if len(f) < 13 {
		return 0
	}
	u, _ := strconv.ParseUint(f[11], 10, 64)
	k, _ := strconv.ParseUint(f[12], 10, 64)
	return u + k
}

// split turns two samples into cores used. Postgres processes that ended
// between the samples (a closed connection) are missed, which only makes
// "other" look larger.
func split(a, b cpuSample) (cpuSplit, bool) {
	if !a.ok || !b.ok || b.total <= a.total {
		return cpuSplit{}, false
	}
	cores := cpuCores()
	// /proc/stat sums all cores; per-process ticks are in the same unit.
	wall := float64(b.total-a.total) / float64(cores)
	c := func(x, y uint64) float64 {
		if y < x {
			return 0
		}
		return float64(y-x) / wall
	}
	s := cpuSplit{Cores: cores, Busy: float64((b.total-b.idle)-(a.total-a.idle)) / wall,
		Server: c(a.server, b.server), Postgres: c(a.postgres, b.postgres), Loadgen: c(a.owner, b.owner)}
	s.Other = max(0, s.Busy-s.Server-s.Postgres-s.Loadgen)
	return s, true
}

func cpuCores() int {
	stat, err := os.ReadFile("/proc/stat")
	if err != nil {
		return 1
	}
	n := 0
	for _, l := range strings.Split(string(stat), "\n") {
		if strings.HasPrefix(l, "cpu") && len(l) > 3 && l[3] >= '0' && l[3] <= '9' {
			n++
		}
	}
	return max(n, 1)
}

func (s cpuSplit) String() string {
	pct := func(x float64) string { return strconv.FormatFloat(100*x/float64(s.Cores), 'f', 0, 64) + " %" }
	return fmt.Sprintf("CPU (%d cores): busy %s — server %s, postgres %s, load generator %s, other %s",
		s.Cores, pct(s.Busy), pct(s.Server), pct(s.Postgres), pct(s.Loadgen), pct(s.Other))
}

// perRequest is the split as CPU time per request answered, in µs: the
// figure that compares across machines whose speed differs, and against
// make bench-floor's cost of HTTP alone.
func (s cpuSplit) perRequest(reqPerSec float64) string {
	if reqPerSec <= 0 {
		return ""
	}
	us := func(x float64) string { return strconv.FormatFloat(x/reqPerSec*1e6, 'f', 0, 64) + " µs" }
	return fmt.Sprintf("CPU per request: server %s, postgres %s, load generator %s; the machine %s",
		us(s.Server), us(s.Postgres), us(s.Loadgen), us(s.Busy))
}
