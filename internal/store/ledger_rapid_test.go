package store_test

import (
	"context"
	"errors"
	"flag"
	"slices"
	"strconv"
	"testing"
	"time"

	"pgregory.net/rapid"

	"github.com/puntos/puntos/internal/ledger"
	"github.com/puntos/puntos/internal/store"
	"github.com/puntos/puntos/internal/testdb"
)

// The model of the ledger the state machine checks the store against: the
// stored balance of every holder account, keyed by holder and batch expiry
// (batches are found by content, and the test only varies the expiry), and
// every transaction's effect on them.
type modelAccount struct {
	owner int64
	exp   time.Time // zero = the non-expiring account
}

type modelTx struct {
	id         int64
	deltas     map[modelAccount]ledger.Amount
	isReversal bool
	reversed   bool
}

type ledgerModel struct {
	now      time.Time
	balances map[modelAccount]ledger.Amount
	txs      []*modelTx
	earns    []earnCall // keyed earns, for retries
}

type earnCall struct {
	key    string
	owner  int64
	amount ledger.Amount
	exp    time.Time
	txID   int64
}

// available is the balance the store must show: accounts not expired at now.
func (m *ledgerModel) available(owner int64) ledger.Amount {
	var sum ledger.Amount
	for k, v := range m.balances {
		if k.owner == owner && (k.exp.IsZero() || m.now.Before(k.exp)) {
			sum += v
		}
	}
	return sum
}

// fifo lists the owner's spendable accounts in the order debits take them.
func (m *ledgerModel) fifo(owner int64) []modelAccount {
	var out []modelAccount
	for k, v := range m.balances {
		if k.owner == owner && v > 0 && (k.exp.IsZero() || m.now.Before(k.exp)) {
			out = append(out, k)
		}
	}
	slices.SortFunc(out, func(a, b modelAccount) int {
		switch {
		case a.exp.IsZero():
			return 1
		case b.exp.IsZero():
			return -1
		}
		return a.exp.Compare(b.exp)
	})
	return out
}

// take plans a FIFO debit: the deltas on the owner's accounts.
func (m *ledgerModel) take(owner int64, amount ledger.Amount) map[modelAccount]ledger.Amount {
	d := map[modelAccount]ledger.Amount{}
	for _, k := range m.fifo(owner) {
		if amount == 0 {
			break
		}
		n := min(m.balances[k], amount)
		d[k] -= n
		amount -= n
	}
	return d
}

func (m *ledgerModel) apply(id int64, d map[modelAccount]ledger.Amount, reversal bool) *modelTx {
	for k, v := range d {
		m.balances[k] += v
	}
	tx := &modelTx{id: id, deltas: d, isReversal: reversal}
	m.txs = append(m.txs, tx)
	return tx
}

func TestLedgerStateMachine(t *testing.T) {
	t.Parallel()
	// Each check is one merchant's random history on a shared database;
	// 60 rather than rapid's default 100 keep the suite fast on a shared machine.
	if f := flag.Lookup("rapid.checks"); f != nil && f.Value.String() == "100" {
		_ = f.Value.Set("60")
	}
	pool := testdb.Pool(t)
	ctx := context.Background()
	const customers = 3
	rapid.Check(t, func(rt *rapid.T) {
		clock := ledger.NewFixedClock(t0)
		st := store.New(pool, clock)
		var merchant int64
		if err := pool.QueryRow(ctx, `INSERT INTO merchants (name) VALUES ('rapid') RETURNING id`).Scan(&merchant); err != nil {
			rt.Fatal(err)
		}
		m := &ledgerModel{now: t0, balances: map[modelAccount]ledger.Amount{}}
		owner := func(id int64) ledger.Owner { return ledger.Owner{Kind: ledger.OwnerWalletMember, ID: id} }
		pickOwner := rapid.Int64Range(1, customers)
		amounts := rapid.Int64Range(1, 1500)

		rt.Repeat(map[string]func(*rapid.T){
			"earn": func(rt *rapid.T) {
				c, amount := pickOwner.Draw(rt, "owner"), ledger.Amount(amounts.Draw(rt, "amount"))
				var exp time.Time
				var batch *store.BatchSpec
				if hours := rapid.IntRange(0, 72).Draw(rt, "expires_in_hours"); hours > 0 {
					exp = m.now.Add(time.Duration(hours) * time.Hour)
					batch = &store.BatchSpec{ExpiresAt: exp}
				}
				info := store.TxInfo{Type: "EARN"}
				keyed := rapid.Bool().Draw(rt, "keyed")
				if keyed {
					info.IdemScope, info.IdemKey = "ticket", strconv.Itoa(len(m.earns)+1)
				}
				p, err := st.Earn(ctx, merchant, info, owner(c), ledger.Points, amount, batch)
				if err != nil {
					rt.Fatalf("earn: %v", err)
				}
				m.apply(p.Tx.ID, map[modelAccount]ledger.Amount{{c, exp}: amount}, false)
				if keyed {
					m.earns = append(m.earns, earnCall{info.IdemKey, c, amount, exp, p.Tx.ID})
				}
				if p.Balance != m.available(c) {
					rt.Fatalf("earn answered balance %v, model %v", p.Balance, m.available(c))
				}
			},
			"retry": func(rt *rapid.T) {
				if len(m.earns) == 0 {
					rt.Skip("no keyed earn yet")
				}
				e := rapid.SampledFrom(m.earns).Draw(rt, "earn")
				var batch *store.BatchSpec
				if !e.exp.IsZero() {
					batch = &store.BatchSpec{ExpiresAt: e.exp}
				}
				if !e.exp.IsZero() && !m.now.Before(e.exp) {
					return // its batch has expired: the retry is refused before the key is read
				}
				p, err := st.Earn(ctx, merchant, store.TxInfo{Type: "EARN", IdemScope: "ticket", IdemKey: e.key}, owner(e.owner), ledger.Points, e.amount, batch)
				if err != nil || !p.Replayed || p.Tx.ID != e.txID {
					rt.Fatalf("retry: got %+v, %v; want tx %d replayed", p, err, e.txID)
				}
			},
			"spend": func(rt *rapid.T) {
				c, amount := pickOwner.Draw(rt, "owner"), ledger.Amount(amounts.Draw(rt, "amount"))
				p, err := st.Spend(ctx, merchant, store.TxInfo{Type: "SPEND"}, owner(c), ledger.Points, amount)
				if amount > m.available(c) {
					if !errors.Is(err, ledger.ErrInsufficientFunds) {
						rt.Fatalf("spend %v of %v: got %v, want ErrInsufficientFunds", amount, m.available(c), err)
					}
					return
				}
				if err != nil {
					rt.Fatalf("spend: %v", err)
				}
				m.apply(p.Tx.ID, m.take(c, amount), false)
			},
			"transfer": func(rt *rapid.T) {
				from, to := pickOwner.Draw(rt, "from"), pickOwner.Draw(rt, "to")
				amount := ledger.Amount(amounts.Draw(rt, "amount"))
				debit, credit, err := st.Transfer(ctx, merchant, store.TxInfo{Type: "OUT"}, store.TxInfo{Type: "IN"}, owner(from), owner(to), ledger.Points, amount)
				switch {
				case from == to:
					if !errors.Is(err, ledger.ErrSameCustomer) {
						rt.Fatalf("transfer to self: got %v", err)
					}
					return
				case amount > m.available(from):
					if !errors.Is(err, ledger.ErrInsufficientFunds) {
						rt.Fatalf("transfer %v of %v: got %v, want ErrInsufficientFunds", amount, m.available(from), err)
					}
					return
				case err != nil:
					rt.Fatalf("transfer: %v", err)
				}
				out := m.take(from, amount)
				in := map[modelAccount]ledger.Amount{}
				for k, v := range out {
					in[modelAccount{to, k.exp}] = -v // the same batch: points keep their expiry
				}
				m.apply(debit.Tx.ID, out, false)
				m.apply(credit.Tx.ID, in, false)
			},
			"reverse": func(rt *rapid.T) {
				if len(m.txs) == 0 {
					rt.Skip("no transaction yet")
				}
				orig := rapid.SampledFrom(m.txs).Draw(rt, "tx")
				p, err := st.Reverse(ctx, merchant, store.TxInfo{Type: "REVERSAL"}, orig.id)
				mirror := map[modelAccount]ledger.Amount{}
				short := false
				for k, v := range orig.deltas {
					mirror[k] = -v
					if m.balances[k]-v < 0 {
						short = true
					}
				}
				switch {
				case orig.isReversal:
					if !errors.Is(err, ledger.ErrReversalOfReversal) {
						rt.Fatalf("reversing a reversal: got %v", err)
					}
				case orig.reversed:
					if !errors.Is(err, ledger.ErrAlreadyReversed) {
						rt.Fatalf("reversing twice: got %v", err)
					}
				case short:
					if !errors.Is(err, ledger.ErrInsufficientFunds) {
						rt.Fatalf("reversing spent points: got %v", err)
					}
				case err != nil:
					rt.Fatalf("reverse: %v", err)
				default:
					orig.reversed = true
					m.apply(p.Tx.ID, mirror, true)
				}
			},
			"advanceClock": func(rt *rapid.T) {
				m.now = clock.Advance(time.Duration(rapid.IntRange(1, 48).Draw(rt, "hours")) * time.Hour)
			},
			"expire": func(rt *rapid.T) {
				for {
					n, err := st.ExpireDue(ctx, rapid.IntRange(1, 5).Draw(rt, "limit"))
					if err != nil {
						rt.Fatalf("expire: %v", err)
					}
					if n == 0 {
						break
					}
				}
				for k, v := range m.balances {
					if !k.exp.IsZero() && !m.now.Before(k.exp) && v > 0 {
						m.balances[k] = 0
					}
				}
			},
			"": func(rt *rapid.T) {
				for c := int64(1); c <= customers; c++ {
					got, err := st.Balance(ctx, merchant, owner(c), ledger.Points)
					if err != nil || got != m.available(c) {
						rt.Fatalf("balance of %d: got %v, %v; model %v", c, got, err, m.available(c))
					}
				}
				r, err := st.CheckLedger(ctx, merchant)
				if err != nil || !r.OK {
					rt.Fatalf("ledger check: %+v, %v", r, err)
				}
			},
		})
	})
}
