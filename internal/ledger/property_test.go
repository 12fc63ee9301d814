package ledger

import (
	"maps"
	"math"
	"math/big"
	"testing"
	"time"

	"pgregory.net/rapid"
)

// genHolderAccounts draws one holder's Points accounts: up to five batches with
// expiries around now (ties and already expired ones included) and maybe the
// non-expiring account, which may be negative after an allowed reversal.
func genHolderAccounts(t *rapid.T, owner Owner) []Account {
	ids := rapid.SliceOfNDistinct(rapid.Int64Range(1, 20), 0, 5, rapid.ID).Draw(t, "batches")
	var accounts []Account
	for _, id := range ids {
		accounts = append(accounts, Account{
			ID:        id,
			Key:       batchKey(owner, id),
			Balance:   Amount(rapid.Int64Range(0, 2000).Draw(t, "balance")),
			ExpiresAt: t0.Add(time.Duration(rapid.IntRange(-3, 5).Draw(t, "hours")) * time.Hour),
		})
	}
	if rapid.Bool().Draw(t, "hasFree") {
		accounts = append(accounts, Account{ID: 99, Key: batchKey(owner, 0), Balance: Amount(rapid.Int64Range(-500, 2000).Draw(t, "free"))})
	}
	// Shuffle, since the planners promise to accept any order.
	return rapid.Permutation(accounts).Draw(t, "order")
}

// modelSpend is the trivially simple model of a FIFO debit: lay every
// spendable hundredth out in a row in expiry order, and take the first amount
// of them. It returns how many each account gave, or ok=false when short.
func modelSpend(accounts []Account, amount Amount) (gave map[AccountKey]Amount, ok bool) {
	var total Amount
	type coin struct {
		expires int64 // hours from t0; never = MaxInt64
		batch   int64 // 0 (no batch) = MaxInt64
		key     AccountKey
	}
	var row []coin
	for _, a := range accounts {
		if !a.ExpiresAt.IsZero() && !a.ExpiresAt.After(t0) {
			continue // expired: neither counted nor spendable
		}
		total += a.Balance
		c := coin{expires: math.MaxInt64, batch: a.Key.BatchID, key: a.Key}
		if !a.ExpiresAt.IsZero() {
			c.expires = int64(a.ExpiresAt.Sub(t0) / time.Hour)
		}
		if c.batch == 0 {
			c.batch = math.MaxInt64
		}
		for range max(a.Balance, 0) {
			// Insertion into the sorted row, one hundredth at a time: slow and obviously right.
			i := len(row)
			for i > 0 && (row[i-1].expires > c.expires || row[i-1].expires == c.expires && row[i-1].batch > c.batch) {
				i--
			}
			row = append(row[:i], append([]coin{c}, row[i:]...)...)
		}
	}
	if amount > total {
		return nil, false
	}
	gave = map[AccountKey]Amount{}
	for _, c := range row[:amount] {
		gave[c.key]++
	}
	return gave, true
}

func TestPropertySpendMatchesModel(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		accounts := genHolderAccounts(t, alice)
		amount := Amount(rapid.Int64Range(1, 9000).Draw(t, "amount"))
		postings, err := Spend(accounts, amount, t0, redeemPts)
		gave, ok := modelSpend(accounts, amount)
		if ok != (err == nil) {
			t.Fatalf("Spend error = %v, model ok = %v", err, ok)
		}
		if !ok {
			return
		}
		if err := Validate(postings); err != nil {
			t.Fatalf("invalid postings: %v", err)
		}
		net := Net(postings)
		if net[redeemPts] != amount {
			t.Fatalf("destination got %v, want %v", net[redeemPts], amount)
		}
		delete(net, redeemPts)
		for k, v := range gave {
			gave[k] = -v
		}
		if !maps.Equal(net, gave) {
			t.Fatalf("Spend took %v, model took %v", net, gave)
		}
	})
}

func TestPropertyTransferMatchesModel(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		accounts := genHolderAccounts(t, alice)
		amount := Amount(rapid.Int64Range(1, 9000).Draw(t, "amount"))
		postings, err := Transfer(accounts, bob, amount, t0)
		gave, ok := modelSpend(accounts, amount)
		if ok != (err == nil) {
			t.Fatalf("Transfer error = %v, model ok = %v", err, ok)
		}
		if !ok {
			return
		}
		if err := Validate(postings); err != nil {
			t.Fatalf("invalid postings: %v", err)
		}
		want := map[AccountKey]Amount{}
		for k, v := range gave {
			want[k] = -v
			want[batchKey(bob, k.BatchID)] = v // same batch: expiry travels
		}
		if got := Net(postings); !maps.Equal(got, want) {
			t.Fatalf("Transfer net %v, want %v", got, want)
		}
		// Reversing the transfer restores every account exactly.
		if got := Net(append(postings, Reverse(postings)...)); len(got) != 0 {
			t.Fatalf("transfer plus reversal nets %v", got)
		}
	})
}

func TestPropertyPercentMatchesBigInt(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		a := Amount(rapid.Int64Range(-int64(MaxAmount), int64(MaxAmount)).Draw(t, "amount"))
		p := rapid.Int64Range(-100_000, 100_000).Draw(t, "percent")
		want := new(big.Int).Mul(big.NewInt(int64(a)), big.NewInt(p))
		want.Div(want, big.NewInt(10000)) // Euclidean division: floor for a positive divisor
		if got := Percent(a, p); int64(got) != want.Int64() {
			t.Fatalf("Percent(%d, %d) = %d, want %d", a, p, got, want)
		}
	})
}

func TestPropertyAmountTextRoundTrips(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		a := Amount(rapid.Int64Range(0, int64(MaxAmount)).Draw(t, "amount"))
		for _, s := range []string{a.String(), a.NumberText()} {
			if got, err := ParseAmount(s); err != nil || got != a {
				t.Fatalf("ParseAmount(%q) = %d, %v; want %d", s, got, err, a)
			}
		}
	})
}

// TestPropertyLedgerInvariants runs random sequences of earnings, spends,
// transfers, reversals and expiry runs against one in-memory set of balances,
// and checks ledger.md's summable invariants after every step.
func TestPropertyLedgerInvariants(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		now := t0
		balances := map[AccountKey]Amount{}
		expiry := map[int64]time.Time{} // batch id → expiry
		holders := []Owner{alice, bob}
		var history [][]Posting
		reversed := map[int]bool{}

		accountsOf := func(o Owner) []Account {
			var out []Account
			for k, v := range balances {
				if k.Owner == o {
					out = append(out, Account{Key: k, Balance: v, ExpiresAt: expiry[k.BatchID]})
				}
			}
			return out
		}
		apply := func(p []Posting) {
			if err := Validate(p); err != nil {
				t.Fatalf("invalid postings %v: %v", p, err)
			}
			for k, v := range Net(p) {
				balances[k] += v
			}
			history = append(history, p)
		}

		for step := range rapid.IntRange(1, 30).Draw(t, "steps") {
			holder := rapid.SampledFrom(holders).Draw(t, "holder")
			before := Available(accountsOf(holder), now)
			switch rapid.IntRange(0, 5).Draw(t, "op") {
			case 0: // earn, maybe into a new batch
				amount := Amount(rapid.Int64Range(1, 1000).Draw(t, "earn"))
				key := batchKey(holder, 0)
				if rapid.Bool().Draw(t, "inBatch") {
					key.BatchID = int64(step + 1)
					expiry[key.BatchID] = now.Add(time.Duration(rapid.IntRange(1, 10).Draw(t, "life")) * time.Hour)
				}
				apply(Credit(issuedPts, key, amount))
				if got := Available(accountsOf(holder), now); got != before+amount {
					t.Fatalf("earning %v moved available from %v to %v", amount, before, got)
				}
			case 1: // spend
				amount := Amount(rapid.Int64Range(1, 1500).Draw(t, "spend"))
				p, err := Spend(accountsOf(holder), amount, now, redeemPts)
				if (err == nil) != (amount <= before) {
					t.Fatalf("Spend(%v) with %v available: %v", amount, before, err)
				}
				if err == nil {
					apply(p)
					if got := Available(accountsOf(holder), now); got != before-amount {
						t.Fatalf("spending %v moved available from %v to %v", amount, before, got)
					}
				}
			case 2: // transfer to the other holder
				other := holders[0]
				if other == holder {
					other = holders[1]
				}
				amount := Amount(rapid.Int64Range(1, 1500).Draw(t, "transfer"))
				otherBefore := Available(accountsOf(other), now)
				p, err := Transfer(accountsOf(holder), other, amount, now)
				if (err == nil) != (amount <= before) {
					t.Fatalf("Transfer(%v) with %v available: %v", amount, before, err)
				}
				if err == nil {
					apply(p)
					if got := Available(accountsOf(other), now); got != otherBefore+amount {
						t.Fatalf("receiver's available went from %v to %v for %v", otherBefore, got, amount)
					}
				}
			case 3: // reverse an earlier transaction, negatives not allowed
				if len(history) == 0 {
					continue
				}
				i := rapid.IntRange(0, len(history)-1).Draw(t, "tx")
				if reversed[i] {
					continue
				}
				r := Reverse(history[i])
				if ReversalShortfall(r, balances, false) == nil {
					reversed[i] = true
					apply(r)
				}
			case 4: // time passes
				now = now.Add(time.Duration(rapid.IntRange(1, 4).Draw(t, "hours")) * time.Hour)
			case 5: // expiry run, twice to show it is idempotent
				for range 2 {
					for _, o := range holders {
						for _, a := range accountsOf(o) {
							if p, ok := ExpirePostings(a, now); ok {
								apply(p)
							}
						}
					}
				}
				for k, v := range balances {
					if !k.Owner.IsSystem() && k.BatchID != 0 && v != 0 && !now.Before(expiry[k.BatchID]) {
						t.Fatalf("expired batch %v still holds %v after the expiry run", k, v)
					}
				}
			}

			var sum Amount
			for k, v := range balances {
				sum += v
				if !k.Owner.IsSystem() && v < 0 {
					t.Fatalf("holder account %v went negative: %v", k, v)
				}
			}
			if sum != 0 {
				t.Fatalf("Points do not sum to zero: %v", sum)
			}
		}
	})
}
