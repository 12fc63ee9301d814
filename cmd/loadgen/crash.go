package main

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/puntos/puntos/internal/pgcluster"
)

// The crash test (make crash-test): wallet sales at a running server on a
// durable Postgres of its own; the server is killed with SIGKILL mid-load,
// and in a second round Postgres is stopped with `pg_ctl -m immediate`. After
// each crash it proves that every sale answered with success is in the
// ledger exactly once, that retrying the unanswered ones (same ticket, same
// Idempotency-Key) posts each at most once, and that the ledger check passes.
//
// A quarter of the requests are manual balance updates
// (/wallet/balance/update) with an Idempotency-Key and no ticket: only the
// key stops their retries from posting twice. Each credits a number of
// points no other request uses, which names it in the ledger.

// sale is one request a terminal sent and what it was answered.
type sale struct {
	ticket, phone, amount string // ticket: the Idempotency-Key of an adjustment
	adjust                bool   // a balance update of points (hundredths) = amount
	points                int64
	answered              bool // got new_sale_01 (balance_update_01)
}

// okCode is the success code of s's endpoint.
func (s *sale) okCode() string {
	if s.adjust {
		return "balance_update_01"
	}
	return "new_sale_01"
}

type crashOptions struct {
	server   string
	outDir   string
	conns    int
	contacts int
	load     time.Duration // load before and after the crash
}

func runCrash(ctx context.Context, o crashOptions) error {
	if err := os.MkdirAll(o.outDir, 0o755); err != nil {
		return err
	}
	dir, err := os.MkdirTemp("", "puntos-crash-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	// Postgres runs as an unprivileged user when we are root: it must be
	// able to reach its data folder inside ours.
	if err := os.Chmod(dir, 0o711); err != nil {
		return err
	}
	logf := func(msg string, kv ...any) { fmt.Println(append([]any{"postgres:", msg}, kv...)...) }
	pgDir := filepath.Join(dir, "pg")
	cl, err := pgcluster.Start(pgcluster.Options{Dir: pgDir, Log: logf}) // durable: fsync and synchronous_commit on
	if err != nil {
		return err
	}
	defer func() { _ = cl.Stop() }()
	if err := pgcluster.EnsureDatabase(ctx, cl.URL("postgres"), "puntos_crash"); err != nil {
		return err
	}
	dbURL := cl.URL("puntos_crash")
	os.Setenv("DATABASE_URL", dbURL)

	start := func() (*serverProc, *client, error) {
		srv, err := startServer(ctx, o.server, filepath.Join(o.outDir, "crash-server.log"), 32, false, []string{"LOG_LEVEL=warn", "RATE_LIMIT=0"})
		if err != nil {
			return nil, nil, err
		}
		return srv, newClient(srv.URL, o.conns, srv.AdminTok), nil
	}
	srv, c, err := start()
	if err != nil {
		return err
	}
	defer func() { _ = srv.stop() }()
	f, err := provision(ctx, c, "")
	if err != nil {
		return fmt.Errorf("provisioning: %w", err)
	}
	if err := enrol(ctx, c, f, o.contacts, 16); err != nil {
		return err
	}
	pool, err := pgxpool.New(ctx, dbURL)
	if err != nil {
		return err
	}
	defer pool.Close()

	rounds := []struct {
		name  string
		crash func() error
	}{
		{"server killed with SIGKILL", func() error {
			_ = srv.cmd.Process.Kill()
			<-srv.exited
			srv.logFile.Close()
			var err error
			srv, c, err = start()
			return err
		}},
		{"postgres stopped with pg_ctl -m immediate", func() error {
			if err := cl.StopImmediate(); err != nil {
				return err
			}
			time.Sleep(time.Second) // requests meanwhile fail: they are the unanswered ones
			var err error
			cl, err = pgcluster.Start(pgcluster.Options{Dir: pgDir, Port: cl.Port, Log: logf})
			return err
		}},
	}
	for i, rd := range rounds {
		sales, err := crashRound(ctx, func() *client { return c }, f, o, i, rd.crash)
		if err != nil {
			return fmt.Errorf("round %d (%s): %w", i+1, rd.name, err)
		}
		if err := verifyRound(ctx, c, pool, f, sales, rd.name); err != nil {
			return fmt.Errorf("round %d (%s): %w", i+1, rd.name, err)
		}
	}
	return nil
}

// crashRound drives sales for o.load, crashes, and drives them for o.load
// more once the crash action returned.
func crashRound(ctx context.Context, cur func() *client, f *fixture, o crashOptions, round int, crash func() error) ([]*sale, error) {
	var mu sync.Mutex
	var sales []*sale
	var crashed atomic.Bool
	var adjustments atomic.Int64 // numbers this round's adjustments
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for t := 0; t < o.conns; t++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(uint64(round), uint64(t)))
			var buf bytes.Buffer
			for n := 0; ; n++ {
				select {
				case <-stop:
					return
				default:
				}
				s := &sale{ticket: fmt.Sprintf("crash-%d-%d-%d", round, t, n), phone: phone(rng.IntN(f.Contacts)),
					amount: strconv.Itoa(20 + rng.IntN(480))}
				if rng.IntN(4) == 0 {
					s.adjust, s.ticket = true, fmt.Sprintf("adjust-%d-%d-%d", round, t, n)
					s.points = int64(round+1)*10_000_000 + adjustments.Add(1)
					s.amount = fmt.Sprintf("%d.%02d", s.points/100, s.points%100)
				}
				status, body, err := postSale(ctx, cur(), f, s, true, &buf)
				s.answered = err == nil && status == 200 && apiCode(body) == s.okCode()
				mu.Lock()
				sales = append(sales, s)
				mu.Unlock()
				if err != nil && crashed.Load() {
					time.Sleep(20 * time.Millisecond) // the server is down: do not spin
				}
			}
		}()
	}
	time.Sleep(o.load)
	crashed.Store(true)
	if err := crash(); err != nil {
		close(stop)
		wg.Wait()
		return nil, err
	}
	time.Sleep(o.load)
	close(stop)
	wg.Wait()
	return sales, nil
}

func postSale(ctx context.Context, c *client, f *fixture, s *sale, withKey bool, buf *bytes.Buffer) (int, []byte, error) {
	h := formHeader(f.APIKey)
	if withKey {
		h = h.Clone()
		h.Set("Idempotency-Key", s.ticket)
	}
	if s.adjust {
		body := url.Values{"wallet_key": {f.WalletKey}, "phone": {s.phone}, "transaction_type": {"0"},
			"transaction_amount": {s.amount}, "usertool_id": {f.UsertoolID}}.Encode()
		return c.do(ctx, "POST", "/wallet/balance/update", h, []byte(body), buf)
	}
	body := url.Values{"wallet_key": {f.WalletKey}, "phone": {s.phone}, "transaction_type": {"0"},
		"transaction_amount": {s.amount}, "usertool_id": {f.UsertoolID}, "ticket": {s.ticket}}.Encode()
	return c.do(ctx, "POST", "/wallet/sale", h, []byte(body), buf)
}

// postedTimes counts, per request (a sale's ticket, an adjustment's key),
// the ledger transactions it posted. Adjustments are found by their points.
func postedTimes(ctx context.Context, pool *pgxpool.Pool, merchantID string, sales []*sale) (map[string]int, error) {
	var tickets []string
	var points []int64
	keyOf := map[int64]string{}
	for _, s := range sales {
		if s.adjust {
			points = append(points, s.points)
			keyOf[s.points] = s.ticket
		} else {
			tickets = append(tickets, s.ticket)
		}
	}
	rows, err := pool.Query(ctx, `
		SELECT s.ticket, s.points, count(t.id)
		FROM pos_sales s
		LEFT JOIN ledger_transactions t ON t.merchant_id = s.merchant_id AND t.id = s.ledger_tx_id
		WHERE s.merchant_id = $1 AND s.program = 'wallet'
		AND (s.ticket = ANY($2) OR (s.ticket IS NULL AND s.kind = 'add' AND s.points = ANY($3)))
		GROUP BY s.ticket, s.points`, merchantID, tickets, points)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	got := map[string]int{}
	for rows.Next() {
		var t *string
		var p int64
		var n int
		if err := rows.Scan(&t, &p, &n); err != nil {
			return nil, err
		}
		if t == nil {
			got[keyOf[p]] += n
		} else {
			got[*t] += n
		}
	}
	return got, rows.Err()
}

func verifyRound(ctx context.Context, c *client, pool *pgxpool.Pool, f *fixture, sales []*sale, name string) error {
	answered, adjustments := 0, 0
	for _, s := range sales {
		if s.answered {
			answered++
		}
		if s.adjust {
			adjustments++
		}
	}
	before, err := postedTimes(ctx, pool, f.MerchantID, sales)
	if err != nil {
		return err
	}
	committedUnanswered := 0
	for _, s := range sales {
		n := before[s.ticket]
		if s.answered && n != 1 {
			return fmt.Errorf("%s was answered with success but is in the ledger %d times", s.ticket, n)
		}
		if n > 1 {
			return fmt.Errorf("%s is in the ledger %d times", s.ticket, n)
		}
		if !s.answered && n == 1 {
			committedUnanswered++
		}
	}
	// Retry every unanswered request as a till would: same ticket, same
	// Idempotency-Key, twice. A key whose request died uncommitted with its
	// server runs again at once; one whose request committed but whose
	// answer was lost answers 409 and never runs again: a sale's ticket
	// alone then replays it, an adjustment must already be in the ledger.
	var buf bytes.Buffer
	retried, inProgress := 0, 0
	for _, s := range sales {
		if s.answered {
			continue
		}
		retried++
		for try := 0; try < 2; try++ {
			status, body, err := postSale(ctx, c, f, s, true, &buf)
			if err == nil && status == 409 {
				if try == 0 {
					inProgress++
				}
				if s.adjust && before[s.ticket] != 1 {
					return fmt.Errorf("retry of %s: 409 for an adjustment that is not in the ledger", s.ticket)
				}
				if s.adjust {
					continue
				}
				status, body, err = postSale(ctx, c, f, s, false, &buf)
			}
			if err != nil || status != 200 || apiCode(body) != s.okCode() {
				return fmt.Errorf("retry of %s: HTTP %d %v: %s", s.ticket, status, err, clip(body))
			}
		}
	}
	after, err := postedTimes(ctx, pool, f.MerchantID, sales)
	if err != nil {
		return err
	}
	for _, s := range sales {
		if n := after[s.ticket]; n != 1 {
			return fmt.Errorf("after retries %s is in the ledger %d times, want exactly once", s.ticket, n)
		}
	}
	var check map[string]any
	if err := c.adminJSON(ctx, "GET", "/admin/v1/merchants/"+f.MerchantID+"/ledger/check", nil, &check); err != nil {
		return err
	}
	if check["ok"] != true {
		return fmt.Errorf("ledger check failed: %v", check)
	}
	fmt.Printf("crash round (%s): %d requests sent (%d of them balance updates without ticket), %d answered with success "+
		"(each in the ledger exactly once), %d unanswered of which %d had committed; %d retried twice "+
		"(%d keys committed without answer: 409, sales then replayed by ticket): every request exactly once; ledger check ok\n",
		name, len(sales), adjustments, answered, len(sales)-answered, committedUnanswered, retried, inProgress)
	return nil
}
