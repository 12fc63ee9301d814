package store

import (
	"context"
	"errors"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/puntos/puntos/internal/ledger"
)

// Wallet sales are the till's hot path, so concurrent ones are written
// together: a batch of sales costs two round trips and one commit, whatever
// its size.
//
//  1. BEGIN; one statement reads every sale's facts (saleReadSQL over all
//     of them) and locks the accounts of every wallet member the batch
//     names, FOR UPDATE in id order.
//  2. In Go, each sale in turn: the same checks, in the same order, as a sale
//     alone (walletSaleAlone), then its postings planned on the locked
//     balances as the earlier sales of the batch left them.
//  3. One statement writes every transaction, balance change, posting, sale
//     record and webhook row of the batch and fails unless it wrote exactly
//     that (assert_written); COMMIT follows in the same round trip.
//
// Nobody is answered before the COMMIT has returned, so every success is
// durable. A sale refused by its checks writes nothing and does not affect
// the others. If the batch fails as a whole (a lost connection, a deadlock
// with another endpoint, a ticket taken by a concurrent batch), nothing of it
// was written and every sale of it runs again alone, so each caller's answer
// is always that of a committed transaction or of its own checks.
//
// A sale with effects beyond the ledger — a customer message (credit
// charged), an operation quota, points that expire (a dated batch) — runs
// alone too: those paths lock merchant-wide rows and stay as they were.

// WalletSale records a wallet sale (/wallet/sale): without Spend it credits
// Amount × the wallet's cashback percent, rounded down to the hundredth
// (into a batch expiring after the wallet's points lifetime, if it has
// one); with Spend it debits Points FIFO over the contact's batches (the
// purchase Amount, if given, is recorded and earns nothing). Checks, in the
// seed table's order, with nothing written on failure: ErrProgramNotFound
// (also disabled), ErrTicketRequired, ErrNotEnrolled, ErrCollaboratorNotFound,
// ErrCollaboratorNotAllowed, (a known ticket: the first result, or
// ErrTicketOtherContact), ErrBlacklisted, ErrInsufficientPoints,
// ErrOperationQuota (spends only), ErrNoMessagingChannel, ErrMessageCredit.
//
// Concurrent sales share a transaction (see above); the answer is the same
// as walletSaleAlone's.
func (s *Store) WalletSale(ctx context.Context, m Merchant, in SaleInput) (SaleResult, error) {
	return s.wallet.sale(ctx, m, in)
}

// walletBatchReadLockSQL reads every sale's facts (saleReadSQL over the
// batch's inputs) and, in the same statement, locks the POINTS accounts of
// every wallet member they name and returns them with the member's row, as
// parallel arrays in id order. The lookups are fenced index probes, as in
// saleReadSQL (OFFSET 0: unfenced, a young table's statistics had Postgres
// read every member's accounts for each input). The accounts are found
// first and locked second, by primary key, so that the rows are locked in
// (merchant, id) order like every other spend: locking inside the probe
// would lock them in the batch's arrival order.
var walletBatchReadLockSQL = `
WITH r (` + saleReadColumns + `) AS MATERIALIZED (` + walletBatchRead + `
), found AS MATERIALIZED (
    SELECT a.merchant_id, a.id
    FROM (SELECT DISTINCT ($1::bigint[])[idx] AS mid, member FROM r WHERE member IS NOT NULL) m
    CROSS JOIN LATERAL (SELECT merchant_id, id FROM ledger_accounts
        WHERE merchant_id = m.mid AND owner_kind = 'wallet_member' AND owner_id = m.member AND unit = $7 OFFSET 0) a
), locked AS MATERIALIZED (
    SELECT a.merchant_id, a.owner_id, a.id, coalesce(a.batch_id, 0) AS batch, a.expires_at, a.balance
    FROM found JOIN ledger_accounts a ON a.merchant_id = found.merchant_id AND a.id = found.id
    ORDER BY a.merchant_id, a.id
    FOR UPDATE OF a
), accounts AS (
    SELECT merchant_id, owner_id, array_agg(id ORDER BY id) AS ids, array_agg(batch ORDER BY id) AS batches,
        array_agg(expires_at ORDER BY id) AS expires, array_agg(balance ORDER BY id) AS balances
    FROM locked GROUP BY merchant_id, owner_id
)
SELECT r.*, a.ids, a.batches, a.expires, a.balances
FROM r LEFT JOIN accounts a ON a.merchant_id = ($1::bigint[])[r.idx] AND a.owner_id = r.member`

// memberKey names one wallet member across merchants.
type memberKey struct{ merchant, member int64 }

// writeWalletBatch runs the batch; it returns an error when nothing of it
// was committed (the jobs then run alone), and otherwise sets every job's
// answer or marks it to run alone.
func (s *Store) writeWalletBatch(jobs []*saleJob) error {
	ctx := context.WithoutCancel(jobs[0].ctx)
	conn, br, err := s.beginSaleBatch(ctx, jobs, walletBatchReadLockSQL, string(ProgramWallet), int16(ledger.Points))
	if err != nil {
		return err
	}
	defer conn.Release()
	reads, accounts, err := readWalletBatch(br, jobs)
	if err != nil {
		return err
	}

	w := s.planWalletBatch(jobs, reads, accounts)
	return s.commitSaleBatch(ctx, conn, w, jobs, &s.wallet.counters)
}

// readWalletBatch reads the answers of the first round trip: each sale's
// facts and its member's locked accounts.
func readWalletBatch(br pgx.BatchResults, jobs []*saleJob) ([]saleRead, map[memberKey][]ledger.Account, error) {
	defer br.Close()
	if _, err := br.Exec(); err != nil { // BEGIN
		return nil, nil, err
	}
	reads := make([]saleRead, len(jobs))
	accounts := map[memberKey][]ledger.Account{}
	rows, err := br.Query()
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	var idx int64
	var ids, batches, balances []int64
	var expires []*time.Time
	for rows.Next() {
		var r saleRead
		if err := rows.Scan(append(r.dest(&idx), &ids, &batches, &expires, &balances)...); err != nil {
			return nil, nil, err
		}
		reads[idx-1] = r
		if r.memberID == nil || len(ids) == 0 {
			continue
		}
		k := memberKey{jobs[idx-1].m.ID, *r.memberID}
		if _, ok := accounts[k]; ok {
			continue // a member sold to twice comes back on both rows
		}
		list := make([]ledger.Account, len(ids))
		for i := range ids {
			a := &list[i]
			a.ID, a.Balance = ids[i], ledger.Amount(balances[i])
			a.Key = ledger.AccountKey{Owner: ledger.Owner{Kind: ledger.OwnerWalletMember, ID: k.member}, Unit: ledger.Points, BatchID: batches[i]}
			if expires[i] != nil {
				a.ExpiresAt = *expires[i]
			}
		}
		accounts[k] = list
	}
	return reads, accounts, rows.Err()
}

// ticketKey names a ticket within one program.
type ticketKey struct {
	program int64
	ticket  string
}

// planWalletBatch decides every job in turn: an answer without writing
// (refusals, ticket replays), alone, or rows for the batch's write.
func (s *Store) planWalletBatch(jobs []*saleJob, reads []saleRead, accounts map[memberKey][]ledger.Account) *saleWrite {
	now := s.clock.Now()
	w := newSaleWrite(ProgramWallet, ledger.Points, len(jobs), now)
	order := newBatchOrder()
	for i, j := range jobs {
		r, in := reads[i], j.in
		if j.err = r.walletRefusal(in); j.err != nil {
			continue
		}
		mk, tk := memberKey{j.m.ID, *r.memberID}, ticketKey{*r.programID, in.Ticket}
		alone := func() { order.alone(j, mk, tk) }
		if order.follows(j, mk, tk) {
			alone()
			continue
		}
		if order.replayed(jobs, i, reads, tk, w) {
			continue
		}
		if r.blacklisted || r.disabled {
			j.err = ErrBlacklisted
			continue
		}
		postings, err := walletPostings(j.m, r, in, accounts[mk], now)
		switch {
		case errors.Is(err, ledger.ErrInsufficientFunds):
			j.err = ErrInsufficientPoints
			continue
		case err != nil:
			alone()
			continue
		}
		after := applyPostings(slices.Clone(accounts[mk]), postings)
		if err := w.add(i, j.m, r, in, walletBatchSale(in, r, postings, after, now)); err != nil {
			alone()
			continue
		}
		accounts[mk] = after
		order.sold(j, i, tk)
	}
	return w
}

// walletBatchSale is what a wallet sale writes (see walletSaleTx).
func walletBatchSale(in SaleInput, r saleRead, postings []ledger.Posting, after []ledger.Account, now time.Time) batchSale {
	b := batchSale{typ: "WALLET SALE", kind: "earn", points: ledger.Percent(in.Amount, r.setting1), postings: postings,
		accounts: after, balance: ledger.Available(after, now)}
	if in.Spend {
		b.typ, b.kind, b.points = "WALLET REDEEM", "spend", in.Points
	}
	if in.AmountGiven {
		b.purchase, b.recorded = in.Amount, &in.Amount
	}
	return b
}

// errAlone marks a sale the batch does not write: it runs by itself.
var errAlone = errors.New("sale runs alone")

// walletPostings plans one sale's postings on the member's locked accounts
// (nil for a cashback that rounds to 0.00), or errAlone for a sale whose
// effects reach beyond the ledger.
func walletPostings(m Merchant, r saleRead, in SaleInput, accounts []ledger.Account, now time.Time) ([]ledger.Posting, error) {
	owner := ledger.Owner{Kind: ledger.OwnerWalletMember, ID: *r.memberID}
	switch {
	case r.message:
		return nil, errAlone // a message charges the merchant's credit
	case in.Spend && m.Settings.OperationQuota != nil:
		return nil, errAlone // the quota is a merchant-wide counter
	case in.Spend:
		if in.Points > ledger.MaxAmount {
			return nil, errAlone // the lone path answers this one
		}
		return ledger.Spend(accounts, in.Points, now, ledger.SystemAccount(ledger.SystemRedeemed, ledger.Points))
	}
	points := ledger.Percent(in.Amount, r.setting1)
	switch {
	case r.setting2 > 0:
		return nil, errAlone // dated points go to a batch found or created by post
	case points > ledger.MaxAmount:
		return nil, errAlone
	case points <= 0:
		return nil, nil
	}
	return ledger.Credit(ledger.SystemAccount(ledger.SystemIssued, ledger.Points),
		ledger.AccountKey{Owner: owner, Unit: ledger.Points}, points), nil
}

// applyPostings returns accounts as postings leave them; a credit to an
// account the holder does not have yet adds it (id 0: created by the write).
func applyPostings(accounts []ledger.Account, postings []ledger.Posting) []ledger.Account {
	for _, p := range postings {
		for _, side := range []struct {
			key   ledger.AccountKey
			delta ledger.Amount
		}{{p.From, -p.Amount}, {p.To, p.Amount}} {
			if side.key.Owner.IsSystem() {
				continue
			}
			found := false
			for i := range accounts {
				if accounts[i].Key == side.key {
					accounts[i].Balance += side.delta
					found = true
				}
			}
			if !found {
				accounts = append(accounts, ledger.Account{Key: side.key, Balance: side.delta})
			}
		}
	}
	return accounts
}

// walletSaleAlone is a wallet sale in its own transaction (WalletSale's
// contract): for sales a batch does not write, and for every sale of a
// batch that could not commit.
func (s *Store) walletSaleAlone(ctx context.Context, m Merchant, in SaleInput) (SaleResult, error) {
	var res SaleResult
	err := s.runSale(ctx, func(tx pgx.Tx) error {
		var err error
		res, err = s.walletSaleTx(ctx, tx, m, in)
		return err
	})
	return res, err
}
