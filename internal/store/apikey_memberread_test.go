package store_test

import (
	"context"
	"errors"
	"sync"
	"testing"

	"github.com/puntos/puntos/internal/ledger"
	"github.com/puntos/puntos/internal/store"
)

// TestMemberLookupsReadTogether: concurrent lookups (read in shared batches)
// each get their own member, or their own error.
func TestMemberLookupsReadTogether(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	ctx := context.Background()
	sh := newWalletShop(t, s, "Reads", 5, store.WalletInput{})
	if _, err := s.WalletSale(ctx, sh.m, sh.sale(sh.phones[2], false, 100_00, "")); err != nil {
		t.Fatal(err)
	}
	type lookup struct {
		key, phone string
		wantErr    error
	}
	var lookups []lookup
	for i := range 300 {
		switch i % 3 {
		case 0:
			lookups = append(lookups, lookup{sh.key, sh.phones[i%len(sh.phones)], nil})
		case 1:
			lookups = append(lookups, lookup{sh.key, "4779999999", store.ErrNotFound})
		default:
			lookups = append(lookups, lookup{"no-such-wallet", sh.phones[0], store.ErrProgramNotFound})
		}
	}
	balances := map[string]ledger.Amount{}
	for _, p := range sh.phones {
		balances[p] = walletBalance(t, s, sh, p)
	}
	var wg sync.WaitGroup
	errs := make(chan error, len(lookups))
	for _, l := range lookups {
		wg.Go(func() {
			m, err := s.MemberByKey(ctx, sh.m.ID, store.ProgramWallet, l.key, l.phone)
			switch {
			case !errors.Is(err, l.wantErr):
				errs <- errors.Join(errors.New(l.key+" "+l.phone), err)
			case err == nil && (m.Phone != l.phone || m.Balance != balances[l.phone]):
				errs <- errors.New("wrong member for " + l.phone + ": " + m.Phone + " " + m.Balance.String())
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if m, err := s.MemberByKey(ctx, sh.m.ID, store.ProgramWallet, sh.key, sh.phones[2]); err != nil || m.Balance != 60_00 {
		t.Fatalf("member after a 100.00 sale at 10 %%: %+v %v, want balance 60.00", m, err)
	}
}
