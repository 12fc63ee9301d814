package store_test

import (
	"context"
	"errors"
	"math/rand/v2"
	"testing"

	"github.com/puntos/puntos/internal/store"
)

// batchPair is one kind of program on two merchants with the same setup:
// sales run as batches on the first and one by one on the second.
type batchPair struct {
	batched, alone               store.Merchant
	batchedKey, aloneKey         string
	batchedCashier, aloneCashier int64
	missingKey                   string // the key randomized inputs use for "no such program"
}

// onAlone is in as sent to the second merchant.
func (p batchPair) onAlone(in store.SaleInput) store.SaleInput {
	in.Key = map[string]string{p.batchedKey: p.aloneKey}[in.Key]
	if in.Key == "" {
		in.Key = p.missingKey
	}
	if in.CollaboratorID != 0 {
		in.CollaboratorID = p.aloneCashier
	}
	return in
}

// saleRun runs sales on a merchant: a batch, or one sale alone.
type (
	batchRun func(context.Context, store.Merchant, []store.SaleInput) ([]store.SaleResult, []error)
	aloneRun func(context.Context, store.Merchant, store.SaleInput) (store.SaleResult, error)
)

// compareWithAlone runs 25 rounds of random sales from gen, each round as
// one batch on the first merchant and one by one on the second, and fails
// at the first answer that differs; then both ledgers must pass the check
// and state (one text value of a merchant, $1) must read the same for both.
func compareWithAlone(t *testing.T, s *store.Store, p batchPair, seed uint64, gen func(*rand.Rand) []store.SaleInput,
	batch batchRun, alone aloneRun, state string) {
	t.Helper()
	ctx := context.Background()
	r := rand.New(rand.NewPCG(seed, seed+1))
	for round := range 25 {
		ins := gen(r)
		got, gotErrs := batch(ctx, p.batched, ins)
		for i, in := range ins {
			want, wantErr := alone(ctx, p.alone, p.onAlone(in))
			if !errors.Is(gotErrs[i], wantErr) || (wantErr == nil && got[i] != want) {
				t.Fatalf("round %d sale %d (%+v): batch %+v %v, alone %+v %v", round, i, in, got[i], gotErrs[i], want, wantErr)
			}
		}
	}
	var states [2]string
	for i, m := range []store.Merchant{p.batched, p.alone} {
		if rep, err := s.CheckLedger(ctx, m.ID); err != nil || !rep.OK {
			t.Fatalf("ledger check of %s: %+v %v", m.Name, rep, err)
		}
		if err := s.Pool().QueryRow(ctx, state, m.ID).Scan(&states[i]); err != nil {
			t.Fatal(err)
		}
	}
	if states[0] != states[1] {
		t.Fatalf("batched and alone differ:\nbatched %s\nalone   %s", states[0], states[1])
	}
}
