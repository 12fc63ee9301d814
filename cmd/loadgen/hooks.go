package main

import (
	"context"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// hookSink is a webhook receiver that answers 200 to everything, so the
// outbox worker has a real endpoint to drain into.
type hookSink struct {
	URL string
	srv *http.Server
}

func startHookSink() (*hookSink, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	h := &hookSink{URL: "http://" + l.Addr().String() + "/hook", srv: &http.Server{
		Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			_, _ = io.Copy(io.Discard, r.Body)
			w.WriteHeader(http.StatusOK)
		}),
		ReadHeaderTimeout: 5 * time.Second,
	}}
	go func() { _ = h.srv.Serve(l) }()
	return h, nil
}

func (h *hookSink) Close() { _ = h.srv.Close() }

// waitOutbox polls the server's /metrics until every gauge whose name holds
// "outbox" and "backlog" reads zero, or the wait is over; it returns the
// last backlog seen (-1 when the server exports no such gauge).
func waitOutbox(ctx context.Context, c *client, wait time.Duration) float64 {
	deadline := time.Now().Add(wait)
	for {
		left, found := outboxBacklog(ctx, c)
		if !found {
			return -1
		}
		if left == 0 || time.Now().After(deadline) || ctx.Err() != nil {
			return left
		}
		time.Sleep(500 * time.Millisecond)
	}
}

func outboxBacklog(ctx context.Context, c *client) (float64, bool) {
	req, _ := http.NewRequestWithContext(ctx, "GET", c.base+"/metrics", nil)
	resp, err := c.http.Do(req)
	if err != nil {
		return 0, false
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	var sum float64
	found := false
	for _, line := range strings.Split(string(b), "\n") {
		if line == "" || line[0] == '#' {
			continue
		}
		name, val, ok := strings.Cut(line, " ")
		if !ok || !strings.Contains(name, "outbox") || !strings.Contains(name, "backlog") {
			continue
		}
		if v, err := strconv.ParseFloat(strings.TrimSpace(val), 64); err == nil {
			sum += v
			found = true
		}
	}
	return sum, found
}
