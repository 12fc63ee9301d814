package main

import (
	"bufio"
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// serverProc is a server binary this generator started and will stop.
type serverProc struct {
	cmd      *exec.Cmd
	URL      string
	DebugURL string // "" unless profiling
	AdminTok string
	logFile  *os.File
	exited   chan error
}

// startServer runs bin serve on a free local port with the environment the
// bench wants (DATABASE_URL comes from devdb or the caller), and waits until
// /readyz answers 200.
func startServer(ctx context.Context, bin, logPath string, dbConns int, profile bool, extraEnv []string) (*serverProc, error) {
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	tok := randomHex(16)
	p := &serverProc{URL: fmt.Sprintf("http://127.0.0.1:%d", port), AdminTok: tok, exited: make(chan error, 1)}
	env := append(os.Environ(), "ADDR="+fmt.Sprintf("127.0.0.1:%d", port), "ADMIN_TOKEN="+tok,
		"DB_MAX_CONNS="+strconv.Itoa(dbConns))
	if profile {
		dport, err := freePort()
		if err != nil {
			return nil, err
		}
		env = append(env, fmt.Sprintf("DEBUG_ADDR=127.0.0.1:%d", dport))
		p.DebugURL = fmt.Sprintf("http://127.0.0.1:%d", dport)
	}
	env = append(env, extraEnv...)
	if p.logFile, err = os.Create(logPath); err != nil {
		return nil, err
	}
	p.cmd = exec.Command(bin, "serve")
	p.cmd.Env = env
	p.cmd.Stdout, p.cmd.Stderr = p.logFile, p.logFile
	if err := p.cmd.Start(); err != nil {
		return nil, err
	}
	go func() { p.exited <- p.cmd.Wait() }()
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case err := <-p.exited:
			return nil, fmt.Errorf("server exited before it was ready (%v); see %s", err, logPath)
		case <-ctx.Done():
			p.stop()
			return nil, ctx.Err()
		case <-time.After(200 * time.Millisecond):
		}
		resp, err := http.Get(p.URL + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return p, nil
			}
		}
	}
	p.stop()
	return nil, fmt.Errorf("server not ready after 60s; see %s", logPath)
}

// peakRSS is the server's high-water resident set size (VmHWM), in KiB.
func (p *serverProc) peakRSS() (int64, error) {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", p.cmd.Process.Pid))
	if err != nil {
		return 0, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			return strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
		}
	}
	return 0, fmt.Errorf("no VmHWM in /proc/%d/status", p.cmd.Process.Pid)
}

// stop asks the server to shut down gracefully (SIGTERM) and waits for it.
func (p *serverProc) stop() error {
	defer p.logFile.Close()
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case err := <-p.exited:
		return err
	case <-time.After(40 * time.Second):
		_ = p.cmd.Process.Kill()
		return fmt.Errorf("server did not stop within 40s of SIGTERM")
	}
}

// cpuProfile fetches a CPU profile of d from the server's debug listener.
func cpuProfile(ctx context.Context, debugURL string, d time.Duration, path string) error {
	req, _ := http.NewRequestWithContext(ctx, "GET", fmt.Sprintf("%s/debug/pprof/profile?seconds=%d", debugURL, int(d.Seconds())), nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 {
		b, _ := io.ReadAll(resp.Body)
		return fmt.Errorf("pprof: HTTP %d: %s", resp.StatusCode, clip(b))
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if _, err := io.Copy(f, resp.Body); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
