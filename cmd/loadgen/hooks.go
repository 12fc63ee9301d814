package main

import (
	"context"
	"fmt"
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
// "outbox" and "backlog" reads zero. It keeps waiting while the backlog
// falls (a soak can end with deliveries behind the sales) and gives up after
// `stall` without progress; it returns the last backlog seen (-1 when the
// server exports no such gauge) and how long the drain took.
func waitOutbox(ctx context.Context, c *client, stall time.Duration) (float64, time.Duration) {
	start := time.Now()
	best, lastProgress := -1.0, time.Now()
	for {
		left, found := outboxBacklog(ctx, c)
		if !found {
			return -1, 0
		}
		if best < 0 || left < best {
			best, lastProgress = left, time.Now()
		}
		if left == 0 || time.Since(lastProgress) > stall || ctx.Err() != nil {
			return left, time.Since(start)
		}
		time.Sleep(500 * time.Millisecond)
	}
}

func outboxBacklog(ctx context.Context, c *client) (float64, bool) {
	var sum float64
	found := false
	for name, v := range scrapeMetrics(ctx, c) {
		if strings.Contains(name, "outbox") && strings.Contains(name, "backlog") {
			sum += v
			found = true
		}
	}
	return sum, found
}

// scrapeMetrics reads the server's /metrics: every sample by its name with
// labels (nil when the server does not answer).
func scrapeMetrics(ctx context.Context, c *client) map[string]float64 {
	req, _ := http.NewRequestWithContext(ctx, "GET", c.base+"/metrics", nil)
	resp, err := c.http.Do(req)
	if err != nil {
		return nil
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	out := map[string]float64{}
	for _, line := range strings.Split(string(b), "\n") {
		if line == "" || line[0] == '#' {
			continue
		}
		i := strings.LastIndexByte(line, ' ')
		if i < 0 {
			continue
		}
		if v, err := strconv.ParseFloat(strings.TrimSpace(line[i+1:]), 64); err == nil {
			out[line[:i]] = v
		}
	}
	return out
}

// batchStats describes the server's wallet sale and card stamp batches over
// a phase from the counters before and after it ("" when there were none).
func batchStats(before, after map[string]float64) string {
	var lines []string
	for _, kind := range []string{"wallet", "card"} {
		d := func(name string) float64 { return after[kind+name] - before[kind+name] }
		batches, batched := d("_sale_batches_total"), d("_sales_batched_total")
		if batches == 0 {
			continue
		}
		lines = append(lines, fmt.Sprintf("%s sale batches: %.0f, %.0f sales batched (%.1f per batch), %.0f sales alone, %.0f batches failed",
			kind, batches, batched, batched/batches, d("_sales_alone_total"), d("_sale_batch_failures_total")))
	}
	return strings.Join(lines, "\n")
}
