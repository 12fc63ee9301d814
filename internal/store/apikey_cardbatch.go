package store

import (
	"context"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/puntos/puntos/internal/ledger"
)

// Card stamps (/loyalty/sale) are batched like wallet sales
// (apikey_walletbatch.go), with one round trip more: a card's limit of
// stamps per contact per day counts the member's sale records of the day,
// and that count must be read after the member is locked. A statement's
// snapshot is taken before it waits for a lock, so the statement that
// locks the members cannot be the one that counts: it would miss a stamp
// committed by the transaction it waited for.
//
//  1. BEGIN; one statement reads every stamp's facts (saleReadSQL over all
//     of them) and locks the card members they name, FOR UPDATE in id order
//     (as CardSale alone locks its member).
//  2. One statement reads, for each locked member, its stamps of the day and
//     its stamp account.
//  3. In Go, each stamp in turn: CardSale's checks in CardSale's order, then
//     ledger.Stamp on the count and balance the earlier stamps of the batch
//     left; one statement writes the batch and COMMIT follows in the same
//     round trip (commitSaleBatch).
//
// As for wallet sales, nobody is answered before the COMMIT, a refused stamp
// writes nothing, a batch that cannot commit runs each stamp alone, and a
// stamp that sends a message (credit charged) or counts against an
// operation quota runs alone.

// CardBatchStats reads the card stamp batch counters (for /metrics and tests).
func (s *Store) CardBatchStats() SaleBatchStats { return s.card.counters.stats() }

// CardSale adds one stamp to a contact's card (/loyalty/sale); the sale
// that reaches the card's stamp count completes it (completions + 1, the
// stamps move to the merchant's completed account, Completed is set).
// Checks, in the seed table's order, each returning its error with nothing
// written: ErrProgramNotFound, ErrProgramDisabled, ErrCollaboratorNotFound,
// ErrCollaboratorNotAllowed, ErrContactNotFound, ErrNotEnrolled, (a known
// ticket: the first result, or ErrTicketOtherContact), ErrBlacklisted (also
// a disabled contact), ErrTicketRequired, ErrAmountRequired, ErrDailyLimit
// (stamps per contact per day in the merchant's time zone),
// ErrOperationQuota, ErrNoMessagingChannel, ErrMessageCredit.
//
// Concurrent stamps share a transaction (see above); the answer is the same
// as cardSaleAlone's.
func (s *Store) CardSale(ctx context.Context, m Merchant, in SaleInput) (SaleResult, error) {
	return s.card.sale(ctx, m, in)
}

var cardBatchRead = saleReadQuery(ProgramCard, saleBatchInput)

// cardBatchReadLockSQL reads every stamp's facts and locks the members they
// name in (merchant, id) order; locked says the row's member was locked.
var cardBatchReadLockSQL = `
WITH r (` + saleReadColumns + `) AS MATERIALIZED (` + cardBatchRead + `
), locked AS MATERIALIZED (
    SELECT cm.merchant_id, cm.id
    FROM (SELECT DISTINCT ($1::bigint[])[idx] AS mid, member FROM r WHERE member IS NOT NULL) m
    JOIN card_members cm ON cm.merchant_id = m.mid AND cm.id = m.member
    ORDER BY cm.merchant_id, cm.id
    FOR UPDATE OF cm
)
SELECT r.*, l.id IS NOT NULL
FROM r LEFT JOIN locked l ON l.merchant_id = ($1::bigint[])[r.idx] AND l.id = r.member`

// cardBatchDaySQL reads, per locked member, its stamps of the merchant's day
// (the count CardSale alone makes) and its stamp accounts.
const cardBatchDaySQL = `
SELECT m.idx,
    (SELECT count(*) FROM pos_sales s
     WHERE s.merchant_id = m.mid AND s.program = 'card' AND s.member_id = m.member AND s.local_day = m.day),
    a.ids, a.balances
FROM unnest($1::bigint[], $2::bigint[], $3::date[]) WITH ORDINALITY AS m(mid, member, day, idx)
LEFT JOIN LATERAL (SELECT array_agg(id ORDER BY id) AS ids, array_agg(balance ORDER BY id) AS balances
    FROM ledger_accounts
    WHERE merchant_id = m.mid AND owner_kind = 'card_member' AND owner_id = m.member AND unit = $4) a ON true`

// cardDay is a locked member's state as the batch goes: stamps today and
// its stamp accounts.
type cardDay struct {
	today    int64
	accounts []ledger.Account
}

// writeCardBatch runs the batch; like writeWalletBatch, it returns an
// error when nothing of it was committed.
func (s *Store) writeCardBatch(jobs []*saleJob) error {
	ctx := context.WithoutCancel(jobs[0].ctx)
	conn, br, err := s.beginSaleBatch(ctx, jobs, cardBatchReadLockSQL, string(ProgramCard))
	if err != nil {
		return err
	}
	defer conn.Release()
	reads, locked, err := readCardBatch(br, len(jobs))
	if err != nil {
		return err
	}
	now := s.clock.Now()
	days := map[memberKey]cardDay{}
	var dMid, dMember []int64
	var dDay []time.Time
	for i, j := range jobs {
		if !locked[i] {
			continue
		}
		k := memberKey{j.m.ID, *reads[i].memberID}
		if _, ok := days[k]; !ok {
			days[k] = cardDay{}
			dMid, dMember, dDay = append(dMid, k.merchant), append(dMember, k.member), append(dDay, merchantDay(now, j.m))
		}
	}
	if len(dMid) > 0 {
		if err := readCardDays(ctx, conn, dMid, dMember, dDay, days); err != nil {
			return err
		}
	}
	w := s.planCardBatch(jobs, reads, days, now)
	return s.commitSaleBatch(ctx, conn, w, jobs, &s.card.counters)
}

// readCardBatch reads the answers of the first round trip: each stamp's
// facts and whether its member was locked.
func readCardBatch(br pgx.BatchResults, n int) ([]saleRead, []bool, error) {
	defer br.Close()
	if _, err := br.Exec(); err != nil { // BEGIN
		return nil, nil, err
	}
	reads, locked := make([]saleRead, n), make([]bool, n)
	rows, err := br.Query()
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	var idx int64
	var ok bool
	for rows.Next() {
		var r saleRead
		if err := rows.Scan(append(r.dest(&idx), &ok)...); err != nil {
			return nil, nil, err
		}
		reads[idx-1], locked[idx-1] = r, ok
	}
	return reads, locked, rows.Err()
}

// readCardDays fills days with the second round trip's answers.
func readCardDays(ctx context.Context, conn *pgxpool.Conn, mids, members []int64, day []time.Time, days map[memberKey]cardDay) error {
	rows, err := conn.Query(ctx, cardBatchDaySQL, mids, members, day, int16(ledger.Stamps))
	if err != nil {
		return err
	}
	defer rows.Close()
	var idx, today int64
	var ids, balances []int64
	for rows.Next() {
		if err := rows.Scan(&idx, &today, &ids, &balances); err != nil {
			return err
		}
		k := memberKey{mids[idx-1], members[idx-1]}
		d := cardDay{today: today, accounts: make([]ledger.Account, len(ids))}
		for i := range ids {
			d.accounts[i] = ledger.Account{ID: ids[i], Balance: ledger.Amount(balances[i]),
				Key: ledger.AccountKey{Owner: ledger.Owner{Kind: ledger.OwnerCardMember, ID: k.member}, Unit: ledger.Stamps}}
		}
		days[k] = d
	}
	return rows.Err()
}

// planCardBatch decides every stamp in turn, as planWalletBatch does for
// wallet sales: an answer without writing, alone, or rows for the write.
func (s *Store) planCardBatch(jobs []*saleJob, reads []saleRead, days map[memberKey]cardDay, now time.Time) *saleWrite {
	w := newSaleWrite(ProgramCard, ledger.Stamps, len(jobs), now)
	order := newBatchOrder()
	for i, j := range jobs {
		r, in := reads[i], j.in
		if j.err = r.cardRefusal(); j.err != nil {
			continue
		}
		mk, tk := memberKey{j.m.ID, *r.memberID}, ticketKey{*r.programID, in.Ticket}
		alone := func() { order.alone(j, mk, tk) }
		d, locked := days[mk]
		if !locked || order.follows(j, mk, tk) {
			alone()
			continue
		}
		if order.replayed(jobs, i, reads, tk, w) {
			continue
		}
		amount, err := r.cardAmount(in)
		if err != nil {
			j.err = err
			continue
		}
		if r.setting2 > 0 && d.today >= r.setting2 {
			j.err = ErrDailyLimit
			continue
		}
		if j.m.Settings.OperationQuota != nil || r.message {
			alone() // a merchant-wide counter, or a message charging the merchant's credit
			continue
		}
		card := ledger.AccountKey{Owner: ledger.Owner{Kind: ledger.OwnerCardMember, ID: *r.memberID}, Unit: ledger.Stamps}
		postings, completed, err := ledger.Stamp(card, ledger.Available(d.accounts, now), int(r.setting1))
		if err != nil {
			alone() // the lone path answers it
			continue
		}
		after := applyPostings(slices.Clone(d.accounts), postings)
		if err := w.add(i, j.m, r, in, batchSale{typ: "CARD STAMP", kind: "stamp", purchase: amount, recorded: &amount,
			points: ledger.OneStamp, completed: completed, postings: postings, accounts: after,
			balance: ledger.Available(after, now)}); err != nil {
			alone()
			continue
		}
		d.today++
		d.accounts = after
		days[mk] = d
		order.sold(j, i, tk)
	}
	return w
}
