package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// outcome is how one request ended, from the load's point of view.
type outcome uint8

const (
	okRead     outcome = iota // a read answered as it should
	okSale                    // a write committed (a sale)
	expected                  // a refusal the scenario expects (spending more than the balance)
	unexpected                // anything else: counted as an error
)

// kind is one operation of the mix.
type kind struct {
	name string
	do   func(t *terminal) (int, []byte, error)
	// judge classifies an answer; only a nil error reaches it.
	judge func(status int, body []byte) outcome
}

// codeIs accepts HTTP 200 with one of the given apikey API codes.
func codeIs(sale bool, codes ...string) func(int, []byte) outcome {
	good := okRead
	if sale {
		good = okSale
	}
	return func(status int, body []byte) outcome {
		if status != 200 {
			return unexpected
		}
		c := apiCode(body)
		for _, want := range codes {
			if c == want {
				return good
			}
		}
		return unexpected
	}
}

func status200(sale bool) func(int, []byte) outcome {
	return func(status int, _ []byte) outcome {
		switch {
		case status != 200:
			return unexpected
		case sale:
			return okSale
		default:
			return okRead
		}
	}
}

// kinds is the catalogue of operations, in the order the report prints them.
var kinds = []kind{
	{name: "wallet_earn", do: walletEarn, judge: codeIs(true, "new_sale_01")},
	{name: "wallet_spend", do: walletSpend, judge: func(status int, body []byte) outcome {
		if status == 422 && apiCode(body) == "wallet_redeem_10" {
			return expected // not enough points: the till is told so, nothing is written
		}
		return codeIs(true, "new_sale_01")(status, body)
	}},
	{name: "card_stamp", do: cardStamp, judge: codeIs(true, "loyalty_sale_01", "loyalty_sale_02")},
	{name: "contact_get", do: contactGet, judge: codeIs(false, "balance_get_01")},
	{name: "balance_read", do: balanceRead, judge: codeIs(false, "loyalty_contact_get_01")},
	{name: "api_tx", do: apiTx, judge: status200(true)},
	{name: "history", do: history, judge: status200(false)},
}

// presets are the mixes a phase can name; weights are relative.
var presets = map[string]string{
	"mix":   "wallet_earn=30,wallet_spend=10,card_stamp=10,contact_get=20,balance_read=10,api_tx=10,history=10",
	"sales": "wallet_earn=85,wallet_spend=15",
	"reads": "contact_get=50,balance_read=50",
}

// parseMix turns "name=weight,..." (or a preset name) into cumulative weights.
func parseMix(s string) ([]int, error) {
	if p, ok := presets[s]; ok {
		s = p
	}
	w := make([]int, len(kinds))
	for _, part := range strings.Split(s, ",") {
		name, val, ok := strings.Cut(strings.TrimSpace(part), "=")
		n, err := strconv.Atoi(val)
		if !ok || err != nil || n < 0 {
			return nil, fmt.Errorf("mix %q: want name=weight,... with weights >= 0", s)
		}
		found := false
		for i, k := range kinds {
			if k.name == name {
				w[i], found = n, true
			}
		}
		if !found {
			return nil, fmt.Errorf("mix: unknown operation %q", name)
		}
	}
	total := 0
	for i := range w {
		total += w[i]
		w[i] = total
	}
	if total == 0 {
		return nil, fmt.Errorf("mix %q: all weights are zero", s)
	}
	return w, nil
}

// terminal is one POS till: one goroutine, one keep-alive connection.
type terminal struct {
	id   int
	hc   *conn // its own connection, not net/http's: see conn
	hdr  *headers
	f    *fixture
	rng  *rand.Rand
	seq  int
	run  string // run id, keeps tickets unique across runs on one database
	form []byte
	st   []kindStats
}

// headers are the fixed header lines of the phase's requests, rendered once
// and shared (read-only) by all the terminals.
type headers struct {
	form   []byte // apikey API: form body and the merchant's apikey
	bearer []byte // OAuth API with a JSON body
	auth   []byte // OAuth API, no body
}

func newHeaders(f *fixture) *headers {
	return &headers{
		form:   renderHeader(formHeader(f.APIKey)),
		bearer: renderHeader(bearerHeader(f.Token)),
		auth:   renderHeader(http.Header{"Authorization": {"Bearer " + f.Token}}),
	}
}

// kindStats is what one terminal saw of one kind of operation.
type kindStats struct {
	lat                          histogram
	n, sales, expected, failures uint64
	sample                       string // first unexpected answer, for the report
}

func (t *terminal) contact() int { return t.rng.IntN(t.f.Contacts) }

func (t *terminal) ticket() string {
	t.seq++
	return t.run + "-" + strconv.Itoa(t.id) + "-" + strconv.Itoa(t.seq)
}

// post sends a form built by appending key=value pairs (all values here are
// URL-safe, so no escaping is needed) with the merchant's apikey.
func (t *terminal) post(path string, kv ...string) (int, []byte, error) {
	b := t.form[:0]
	for i := 0; i < len(kv); i += 2 {
		if i > 0 {
			b = append(b, '&')
		}
		b = append(b, kv[i]...)
		b = append(b, '=')
		b = append(b, kv[i+1]...)
	}
	t.form = b
	return t.hc.do("POST", path, t.hdr.form, b)
}

func walletEarn(t *terminal) (int, []byte, error) {
	amount := strconv.Itoa(10+t.rng.IntN(490)) + "." + strconv.Itoa(10+t.rng.IntN(90))
	return t.post("/wallet/sale", "wallet_key", t.f.WalletKey, "phone", phone(t.contact()), "transaction_type", "0",
		"transaction_amount", amount, "usertool_id", t.f.UsertoolID, "ticket", t.ticket())
}

func walletSpend(t *terminal) (int, []byte, error) {
	return t.post("/wallet/sale", "wallet_key", t.f.WalletKey, "phone", phone(t.contact()), "transaction_type", "1",
		"points_used", strconv.Itoa(1+t.rng.IntN(20)), "usertool_id", t.f.UsertoolID, "ticket", t.ticket())
}

func cardStamp(t *terminal) (int, []byte, error) {
	return t.post("/loyalty/sale", "loyalty_key", t.f.LoyaltyKey, "phone", phone(t.contact()),
		"transaction_amount", strconv.Itoa(50+t.rng.IntN(500)), "usertool_id", t.f.UsertoolID, "ticket", t.ticket())
}

func contactGet(t *terminal) (int, []byte, error) {
	return t.post("/wallet/contact/get", "wallet_key", t.f.WalletKey, "phone", phone(t.contact()))
}

func balanceRead(t *terminal) (int, []byte, error) {
	return t.post("/loyalty/contact/get", "loyalty_key", t.f.LoyaltyKey, "phone", phone(t.contact()))
}

func apiTx(t *terminal) (int, []byte, error) {
	body := apiTxBody(t.ticket(), t.contact(), strconv.Itoa(1+t.rng.IntN(300))+".00")
	return t.hc.do("POST", "/api/transaction", t.hdr.bearer, body)
}

func history(t *terminal) (int, []byte, error) {
	return t.hc.do("GET", "/api/transaction/history?customerId="+customerID(t.contact()), t.hdr.auth, nil)
}

// phaseResult is one phase's totals per kind.
type phaseResult struct {
	Name    string
	Elapsed time.Duration
	Rate    float64 // requests/s offered (0: each terminal as fast as answered)
	Kinds   []kindStats
}

// runPhase plays conns terminals with the given mix until d has passed.
// With rate 0 each terminal sends its next request as soon as the last is
// answered (a closed loop: the server's pace sets the load); with rate > 0
// the terminals together offer rate requests per second, each on a fixed
// schedule, and a request's latency is counted from when it was due, so a
// server that falls behind is charged for the wait (no coordinated
// omission).
// progress, when non-nil, is called every interval with the requests and
// sales completed in that interval (for the soak's stability trace).
func runPhase(ctx context.Context, c *client, f *fixture, name, mix string, conns int, d, interval time.Duration, rate float64, runID string) (*phaseResult, error) {
	cum, err := parseMix(mix)
	if err != nil {
		return nil, err
	}
	total := cum[len(cum)-1]
	addr, host, err := parseBase(c.base)
	if err != nil {
		return nil, err
	}
	hdr := newHeaders(f)
	var reqs, sales atomic.Uint64
	stop := make(chan struct{})
	var tick sync.WaitGroup
	if interval > 0 {
		tick.Add(1)
		go func() {
			defer tick.Done()
			tk := time.NewTicker(interval)
			defer tk.Stop()
			start, lastR, lastS := time.Now(), uint64(0), uint64(0)
			for {
				select {
				case <-stop:
					return
				case now := <-tk.C:
					r, s := reqs.Load(), sales.Load()
					fmt.Printf("  %-6s t=%-6s %8.0f req/s %8.0f sales/s\n", name, now.Sub(start).Round(time.Second),
						float64(r-lastR)/interval.Seconds(), float64(s-lastS)/interval.Seconds())
					lastR, lastS = r, s
				}
			}
		}()
	}
	terms := make([]*terminal, conns)
	var wg sync.WaitGroup
	start := time.Now()
	deadline := start.Add(d)
	var every time.Duration // each terminal's interval between requests when paced
	if rate > 0 {
		every = time.Duration(float64(conns) / rate * float64(time.Second))
	}
	for i := range terms {
		t := &terminal{id: i, hc: newConn(ctx, addr, host), hdr: hdr, f: f, rng: rand.New(rand.NewPCG(uint64(i), uint64(start.UnixNano()))),
			run: runID + name, st: make([]kindStats, len(kinds)), form: make([]byte, 0, 256)}
		terms[i] = t
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer t.hc.close()
			next := start.Add(every * time.Duration(t.id) / time.Duration(conns)) // paced: staggered first requests
			for time.Now().Before(deadline) && ctx.Err() == nil {
				r := t.rng.IntN(total)
				k := 0
				for cum[k] <= r {
					k++
				}
				t0 := time.Now()
				if every > 0 {
					if !next.Before(deadline) {
						break
					}
					time.Sleep(time.Until(next))
					t0, next = next, next.Add(every)
				}
				status, body, err := kinds[k].do(t)
				lat := time.Since(t0)
				st := &t.st[k]
				st.n++
				st.lat.record(lat)
				oc := unexpected
				if err == nil {
					oc = kinds[k].judge(status, body)
				}
				switch oc {
				case okSale:
					st.sales++
					sales.Add(1)
				case expected:
					st.expected++
				case unexpected:
					st.failures++
					if st.sample == "" {
						if err != nil {
							st.sample = err.Error()
						} else {
							st.sample = fmt.Sprintf("HTTP %d %s", status, clip(body))
						}
					}
				}
				reqs.Add(1)
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	close(stop)
	tick.Wait()
	res := &phaseResult{Name: name, Elapsed: elapsed, Rate: rate, Kinds: make([]kindStats, len(kinds))}
	for _, t := range terms {
		for k := range kinds {
			a, b := &res.Kinds[k], &t.st[k]
			a.lat.merge(&b.lat)
			a.n += b.n
			a.sales += b.sales
			a.expected += b.expected
			a.failures += b.failures
			if a.sample == "" {
				a.sample = b.sample
			}
		}
	}
	return res, nil
}
