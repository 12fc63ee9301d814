package store_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/puntos/puntos/internal/ledger"
	"github.com/puntos/puntos/internal/store"
)

// walletShop is a merchant with a 10 % cashback wallet, a cashier and
// enrolled contacts, each with 50.00 points.
type walletShop struct {
	m       store.Merchant
	key     string
	cashier int64
	phones  []string
}

func newWalletShop(t *testing.T, s *store.Store, name string, contacts int, in store.WalletInput) walletShop {
	t.Helper()
	ctx := context.Background()
	m := newMerchant(t, s, name)
	in.Name, in.CashbackPercent = "Monedero", ptr(ledger.Amount(10_00))
	w, err := s.CreateWallet(ctx, m.ID, in)
	if err != nil {
		t.Fatal(err)
	}
	c, err := s.CreateCollaborator(ctx, m.ID, cashier("Ana", "5511112222", "1234"))
	if err != nil {
		t.Fatal(err)
	}
	sh := walletShop{m: m, key: w.Key, cashier: c.ID}
	for i := range contacts {
		phone := fmt.Sprintf("47710000%02d", i)
		if err := s.AddContact(ctx, m, store.ContactAdd{Program: store.ProgramWallet, Key: w.Key, Phone: phone,
			Name: "C", CollaboratorID: c.ID}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.BalanceUpdate(ctx, m, addPoints(sh.sale(phone, true, 50_00, ""))); err != nil {
			t.Fatal(err)
		}
		sh.phones = append(sh.phones, phone)
	}
	return sh
}

// sale is an earn of amount (spend false) or a spend of amount points.
func (sh walletShop) sale(phone string, spend bool, amount ledger.Amount, ticket string) store.SaleInput {
	in := store.SaleInput{Key: sh.key, Phone: phone, CollaboratorID: sh.cashier, Ticket: ticket, Spend: spend}
	if spend {
		in.Points = amount
	} else {
		in.Amount, in.AmountGiven = amount, true
	}
	return in
}

// addPoints turns a spend input into a balance update adding the same points.
func addPoints(in store.SaleInput) store.SaleInput { in.Spend = false; return in }

// randomSales mixes earns, spends (some beyond the balance), repeated and
// shared tickets, unknown phones and an unknown wallet.
func (sh walletShop) randomSales(r *rand.Rand, n int) []store.SaleInput {
	var ins []store.SaleInput
	for range n {
		phone := sh.phones[r.IntN(len(sh.phones))]
		ticket := ""
		if r.IntN(2) == 0 {
			ticket = fmt.Sprintf("T%d", r.IntN(8)) // few tickets: repeats within and across batches
		}
		in := sh.sale(phone, r.IntN(3) == 0, ledger.Amount(1+r.IntN(40_00)), ticket)
		switch r.IntN(20) {
		case 0:
			in.Phone = "4779999999" // not in the agenda
		case 1:
			in.Key = "no-such-wallet"
		case 2:
			in.CollaboratorID = 0
		}
		ins = append(ins, in)
	}
	return ins
}

// TestWalletBatchAnswersAsAlone runs the same random sequences of sales as
// batches on one merchant and one by one on another: every answer, every
// balance, the outbox and the ledger must come out the same. Wallets whose
// points expire (earns run alone, spends take from dated accounts in the
// batch) and wallets with a webhook are included.
func TestWalletBatchAnswersAsAlone(t *testing.T) {
	t.Parallel()
	for name, c := range map[string]struct {
		in         store.WalletInput
		minWritten uint64 // sales the 25 batches must write themselves
	}{
		"Plain":    {store.WalletInput{}, 100},
		"Expiring": {store.WalletInput{PointsTTLDays: ptr(30)}, 10}, // earns into dated batches run alone
		"Webhook":  {store.WalletInput{WebhookURL: ptr("https://example.test/hook")}, 100},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			s := newStore(t)
			before := s.WalletBatchStats()
			batched, alone := newWalletShop(t, s, "Batched", 6, c.in), newWalletShop(t, s, "Alone", 6, c.in)
			pair := batchPair{batched.m, alone.m, batched.key, alone.key, batched.cashier, alone.cashier, "no-such-wallet"}
			gen := func(r *rand.Rand) []store.SaleInput { return batched.randomSales(r, 1+r.IntN(30)) }
			compareWithAlone(t, s, pair, 7, gen, s.WalletSalesInOneBatch, s.WalletSaleAlone, walletState)
			after := s.WalletBatchStats()
			if after.Written-before.Written < c.minWritten || after.Failed != before.Failed {
				t.Fatalf("batches did not do the writing: %+v → %+v", before, after)
			}
		})
	}
}

// walletState is a merchant's wallet balances (per contact in phone order,
// from the holder accounts), sale records, outbox rows and postings.
const walletState = `SELECT coalesce(string_agg(format('%s:%s', c.phone,
		(SELECT coalesce(sum(balance), 0) FROM ledger_accounts a
		 WHERE a.merchant_id = wm.merchant_id AND a.owner_kind = 'wallet_member' AND a.owner_id = wm.id)), ' ' ORDER BY c.phone), '')
	|| format(' sales %s outbox %s postings %s',
		(SELECT count(*) FROM pos_sales WHERE merchant_id = $1),
		(SELECT count(*) FROM outbox WHERE merchant_id = $1),
		(SELECT count(*) FROM ledger_postings WHERE merchant_id = $1))
	FROM wallet_members wm JOIN contacts c ON c.merchant_id = wm.merchant_id AND c.id = wm.contact_id
	WHERE wm.merchant_id = $1`

func walletBalance(t *testing.T, s *store.Store, sh walletShop, phone string) ledger.Amount {
	t.Helper()
	var id int64
	if err := s.Pool().QueryRow(context.Background(), `SELECT pm.id FROM wallet_members pm JOIN contacts c
		ON c.merchant_id = pm.merchant_id AND c.id = pm.contact_id WHERE c.merchant_id = $1 AND c.phone = $2`,
		sh.m.ID, phone).Scan(&id); err != nil {
		t.Fatal(err)
	}
	b, err := s.Balance(context.Background(), sh.m.ID, ledger.Owner{Kind: ledger.OwnerWalletMember, ID: id}, ledger.Points)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
