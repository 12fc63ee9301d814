package store_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/puntos/puntos/internal/ledger"
	"github.com/puntos/puntos/internal/store"
	"github.com/puntos/puntos/internal/testdb"
)

// roundTrips counts what the pool sends: each statement and each pgx batch
// is one network round trip (BEGIN and COMMIT included).
type roundTrips struct {
	mu    sync.Mutex
	sent  []string
	count int
}

func (r *roundTrips) TraceQueryStart(ctx context.Context, _ *pgx.Conn, d pgx.TraceQueryStartData) context.Context {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.count++
	r.sent = append(r.sent, strings.Fields(d.SQL)[0])
	return ctx
}

func (r *roundTrips) TraceQueryEnd(context.Context, *pgx.Conn, pgx.TraceQueryEndData) {}

func (r *roundTrips) TraceBatchStart(ctx context.Context, _ *pgx.Conn, d pgx.TraceBatchStartData) context.Context {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.count++
	r.sent = append(r.sent, "batch")
	return ctx
}

func (r *roundTrips) TraceBatchQuery(context.Context, *pgx.Conn, pgx.TraceBatchQueryData) {}
func (r *roundTrips) TraceBatchEnd(context.Context, *pgx.Conn, pgx.TraceBatchEndData)     {}

func (r *roundTrips) reset() ([]string, int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	sent, n := r.sent, r.count
	r.sent, r.count = nil, 0
	return sent, n
}

func TestLedgerRoundTrips(t *testing.T) {
	t.Parallel()
	cfg, err := pgxpool.ParseConfig(testdb.URL(t))
	if err != nil {
		t.Fatal(err)
	}
	trace := &roundTrips{}
	cfg.ConnConfig.Tracer = trace
	pool, err := pgxpool.NewWithConfig(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	st := store.New(pool, ledger.NewFixedClock(t0))
	ctx := context.Background()
	var merchant int64
	if err := pool.QueryRow(ctx, `INSERT INTO merchants (name) VALUES ('m') RETURNING id`).Scan(&merchant); err != nil {
		t.Fatal(err)
	}
	c := customer(1)
	batch := expiring(t0.Add(time.Hour))
	tests := []struct {
		name string
		run  func() error
		want int // including COMMIT (BEGIN rides with the first statement)
	}{
		{"EarnOneStatement", func() error {
			_, err := st.Earn(ctx, merchant, store.TxInfo{Type: "E", IdemScope: "s", IdemKey: "1"}, c, ledger.Points, 500, nil)
			return err
		}, 2},
		{"EarnIntoBatchOneStatement", func() error {
			_, err := st.Earn(ctx, merchant, store.TxInfo{Type: "E"}, c, ledger.Points, 500, batch)
			return err
		}, 2},
		{"SpendTwoRoundTrips", func() error {
			_, err := st.Spend(ctx, merchant, store.TxInfo{Type: "S", IdemScope: "s", IdemKey: "2"}, c, ledger.Points, 700)
			return err
		}, 3},
		{"TransferThreeRoundTrips", func() error {
			_, _, err := st.Transfer(ctx, merchant, store.TxInfo{Type: "O"}, store.TxInfo{Type: "I"}, c, customer(2), ledger.Points, 100)
			return err
		}, 4},
		{"ReverseTwoRoundTrips", func() error {
			p, err := st.Earn(ctx, merchant, store.TxInfo{Type: "E"}, c, ledger.Points, 100, nil)
			if err != nil {
				return err
			}
			trace.reset()
			_, err = st.Reverse(ctx, merchant, store.TxInfo{Type: "R"}, p.Tx.ID)
			return err
		}, 4}, // BEGIN with the merchant's setting, the batch, the write, COMMIT
		{"APITransactionOfAKnownCustomerAtAKnownStore", func() error {
			tx := func(code string) error {
				_, err := st.PostAPITransaction(ctx, merchant, store.APITransaction{Type: "POINTS ORDER", Code: code, Total: 1000,
					Customer: store.CustomerRef{ExternalID: "c-1"}, Store: &store.StoreRef{ExternalID: "s-1", Name: "Tienda"}})
				return err
			}
			if err := tx("first"); err != nil { // creates the customer and the store
				return err
			}
			trace.reset()
			return tx("second")
		}, 3}, // BEGIN with store + customer + tier multiplier, the posting, the report counts with the answer's customer and store and COMMIT
		{"CustomerHistoryThreeRoundTrips", func() error {
			page, err := st.CustomerHistory(ctx, merchant, "c-1", 1, 10)
			// The two API transactions at store s-1, then the ledger's, at none.
			if err == nil && (len(page) < 3 || page[0].Store == nil || page[0].Store.ExternalID != "s-1" ||
				page[1].Store != page[0].Store || page[2].Store != nil) {
				err = fmt.Errorf("history of %d entries: want two at store s-1 first, then some at none", len(page))
			}
			return err
		}, 3}, // the customer with its accounts, their postings, the customer's view with every store the page names
		{"BalanceOneStatement", func() error {
			_, err := st.Balance(ctx, merchant, c, ledger.Points)
			return err
		}, 1},
	}
	for _, tc := range tests {
		trace.reset()
		if err := tc.run(); err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if sent, got := trace.reset(); got != tc.want {
			t.Errorf("%s: got %d round trips %v, want %d", tc.name, got, sent, tc.want)
		}
	}
}
