package store_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"

	"github.com/puntos/puntos/internal/ledger"
	"github.com/puntos/puntos/internal/store"
)

// cardShop is a merchant with a stamp card, a cashier and enrolled contacts.
type cardShop struct {
	m       store.Merchant
	key     string
	cashier int64
	phones  []string
}

func newCardShop(t *testing.T, s *store.Store, name string, contacts int, in store.CardInput) cardShop {
	t.Helper()
	ctx := context.Background()
	m := newMerchant(t, s, name)
	in.Name = "Tarjeta"
	c, err := s.CreateCard(ctx, m.ID, in)
	if err != nil {
		t.Fatal(err)
	}
	col, err := s.CreateCollaborator(ctx, m.ID, cashier("Ana", "5511112222", "1234"))
	if err != nil {
		t.Fatal(err)
	}
	sh := cardShop{m: m, key: c.Key, cashier: col.ID}
	for i := range contacts {
		phone := fmt.Sprintf("47720000%02d", i)
		if err := s.AddContact(ctx, m, store.ContactAdd{Program: store.ProgramCard, Key: c.Key, Phone: phone,
			Name: "C", CollaboratorID: col.ID}); err != nil {
			t.Fatal(err)
		}
		sh.phones = append(sh.phones, phone)
	}
	return sh
}

// randomStamps mixes stamps with and without an amount, malformed amounts,
// repeated and shared tickets, unknown phones, an unknown card and a
// missing cashier.
func (sh cardShop) randomStamps(r *rand.Rand, n int) []store.SaleInput {
	var ins []store.SaleInput
	for range n {
		in := store.SaleInput{Key: sh.key, Phone: sh.phones[r.IntN(len(sh.phones))], CollaboratorID: sh.cashier,
			Amount: ledger.Amount(1 + r.IntN(90_00)), AmountGiven: true}
		if r.IntN(2) == 0 {
			in.Ticket = fmt.Sprintf("T%d", r.IntN(8)) // few tickets: repeats within and across batches
		}
		switch r.IntN(24) {
		case 0:
			in.Phone = "4779999999" // not in the agenda
		case 1:
			in.Key = "no-such-card"
		case 2:
			in.CollaboratorID = 0
		case 3, 4:
			in.Amount, in.AmountGiven = 0, false
		case 5:
			in.AmountBad = true
		}
		ins = append(ins, in)
	}
	return ins
}

// TestCardBatchAnswersAsAlone runs the same random sequences of stamps as
// batches on one merchant and one by one on another: every answer, every
// card's stamps and completions, the sale records, the outbox and the ledger
// must come out the same — for cards that complete every few stamps or at
// every stamp, with a daily limit, with a webhook, and with a required
// ticket and a default amount.
func TestCardBatchAnswersAsAlone(t *testing.T) {
	t.Parallel()
	for name, c := range map[string]struct {
		in         store.CardInput
		minWritten uint64 // stamps the 25 batches must write themselves
	}{
		"Plain":         {store.CardInput{StampsRequired: ptr(3)}, 100},
		"EveryStamp":    {store.CardInput{StampsRequired: ptr(1)}, 100},
		"DailyLimit":    {store.CardInput{StampsRequired: ptr(4), MaxStampsPerDay: ptr(2)}, 12}, // 6 contacts × 2
		"Webhook":       {store.CardInput{StampsRequired: ptr(5), WebhookURL: ptr("https://example.test/hook")}, 100},
		"TicketDefault": {store.CardInput{StampsRequired: ptr(3), TicketRequired: ptr(true), DefaultAmount: ptr(ledger.Amount(25_00))}, 8}, // 8 tickets
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			s := newStore(t)
			before := s.CardBatchStats()
			batched, alone := newCardShop(t, s, "Batched", 6, c.in), newCardShop(t, s, "Alone", 6, c.in)
			pair := batchPair{batched.m, alone.m, batched.key, alone.key, batched.cashier, alone.cashier, "no-such-card"}
			gen := func(r *rand.Rand) []store.SaleInput { return batched.randomStamps(r, 1+r.IntN(30)) }
			compareWithAlone(t, s, pair, 3, gen, s.CardSalesInOneBatch, s.CardSaleAlone, cardState)
			after := s.CardBatchStats()
			if after.Written-before.Written < c.minWritten || after.Failed != before.Failed {
				t.Fatalf("batches did not do the writing: %+v → %+v", before, after)
			}
		})
	}
}

// cardState is a merchant's cards (per contact in phone order: stamps and
// completions), sale records by outcome, outbox rows and postings.
const cardState = `SELECT coalesce(string_agg(format('%s:%s:%s', c.phone, coalesce(a.balance, 0), cm.completions), ' ' ORDER BY c.phone), '')
	|| format(' sales %s/%s outbox %s postings %s',
		(SELECT count(*) FILTER (WHERE outcome = 'ok') FROM pos_sales WHERE merchant_id = $1),
		(SELECT count(*) FILTER (WHERE outcome = 'completed') FROM pos_sales WHERE merchant_id = $1),
		(SELECT count(*) FROM outbox WHERE merchant_id = $1),
		(SELECT count(*) FROM ledger_postings WHERE merchant_id = $1))
	FROM card_members cm JOIN contacts c ON c.merchant_id = cm.merchant_id AND c.id = cm.contact_id
	LEFT JOIN ledger_accounts a ON a.merchant_id = cm.merchant_id AND a.owner_kind = 'card_member' AND a.owner_id = cm.id
	WHERE cm.merchant_id = $1`

// TestCardBatchDailyLimitConcurrent sends 40 concurrent stamps for one
// contact through the lanes, on a card that allows 5 a day: exactly 5 are
// written, whatever batches they fall in.
func TestCardBatchDailyLimitConcurrent(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	sh := newCardShop(t, s, "Limit", 1, store.CardInput{StampsRequired: ptr(50), MaxStampsPerDay: ptr(5)})
	var wg sync.WaitGroup
	var mu sync.Mutex
	ok, limited := 0, 0
	for i := range 40 {
		wg.Go(func() {
			_, err := s.CardSale(context.Background(), sh.m, store.SaleInput{Key: sh.key, Phone: sh.phones[0],
				CollaboratorID: sh.cashier, Ticket: fmt.Sprintf("L%d", i), Amount: 10_00, AmountGiven: true})
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err == nil:
				ok++
			case errors.Is(err, store.ErrDailyLimit):
				limited++
			default:
				t.Errorf("stamp %d: %v", i, err)
			}
		})
	}
	wg.Wait()
	if ok != 5 || limited != 35 {
		t.Fatalf("%d stamps written, %d refused by the daily limit; want 5 and 35", ok, limited)
	}
}
